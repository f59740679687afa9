/**
 * `HOST[:PORT]` as `--plain-http` takes it: a host name or IP address (IPv6 in brackets) and an
 * optional port, nothing else. Exported alone (`@pullguard/registry/host-port`, no engine import)
 * so that the flag table judges an entry while the command line is parsed, with the client's own
 * grammar.
 */
export const HOST_PORT_EXPECTED = 'is not HOST or HOST:PORT (no scheme, path or user)';

/** The entry's host name (lowercase) and port as written (`''` for any port), or undefined. */
export function parseHostPort(entry: string): { hostname: string; port: string } | undefined {
  if (entry === '' || /[/@?#\s]/.test(entry) || entry.includes('://')) return undefined;
  try {
    const url = new URL(`http://${entry}`);
    // URL drops a default port (`:80`); keep what was written so `HOST:80` means port 80 only.
    const written = /:(\d+)$/.exec(entry)?.[1];
    if (written !== undefined && Number(written) === 0) return undefined;
    return { hostname: url.hostname.toLowerCase(), port: written ?? '' };
  } catch {
    return undefined;
  }
}

/** The entry, or an Error saying it is not `HOST[:PORT]` (a flag table's parser). */
export function hostPort(entry: string): string {
  if (parseHostPort(entry.trim()) === undefined)
    throw new Error(`${JSON.stringify(entry)} ${HOST_PORT_EXPECTED}`);
  return entry.trim();
}
