import type { ExitCode } from '../exit-codes.js';

export async function runServe(_options: Record<string, unknown>): Promise<ExitCode> {
  // Lazy: only `serve` loads Express and the server.
  const server = await import('@pullguard/server');
  void server;
  return 0;
}
