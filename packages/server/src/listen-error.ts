/**
 * The server could not listen where it was told to: one line saying where, why, and which flag
 * to change (`cannot listen on 127.0.0.1:8080: address already in use; pass --port`). The server's
 * main and `pullguard serve` print the message alone and exit 2 — no stack trace: it is a usage
 * problem, not a crash.
 */
export class ListenError extends Error {
  override readonly name = 'ListenError';
  readonly code: string | undefined;

  constructor(host: string, port: number, cause: NodeJS.ErrnoException) {
    const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    super(`cannot listen on ${where}: ${reason(cause)}`, { cause });
    this.code = cause.code;
  }
}

function reason(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return 'address already in use; pass --port';
    case 'EACCES':
      return 'permission denied (ports below 1024 need privileges); pass --port';
    case 'EADDRNOTAVAIL':
      return 'address not available on this machine; pass --host';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host; pass --host';
    default:
      return error.message;
  }
}
