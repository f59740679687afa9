/**
 * Spellings that reach the same registry. A reference names its registry host as written
 * (normalize.go v0.6.0 canonicalizes only `index.docker.io` to `docker.io`), but a node pulls
 * `evil.com/x` and `evil.com:443/x` from the same server (443 is the HTTPS port a runtime uses
 * when none is written), and Docker Hub answers under several names: `docker.io` (which runtimes
 * map to its registry endpoint), `index.docker.io` (its legacy name), `registry-1.docker.io` (the
 * endpoint itself) and `registry.hub.docker.com`.
 *
 * Lists whose match tightens what an image may do (denylists, private registries) must see every
 * spelling, or writing one differently is a bypass; allowlists keep matching names as written
 * and fail closed (image-pattern.ts `PatternSpellings`).
 *
 * Hosts here are already ASCII-lowercased (pattern-glob.ts `canonicalHostName`).
 */
import { DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX } from './normalize.js';
import { portColon } from './pattern-glob.js';

/** Docker Hub's names, `docker.io` first. */
export const DOCKER_HUB_HOSTS: readonly string[] = [
  DEFAULT_DOMAIN,
  'index.docker.io',
  'registry-1.docker.io',
  'registry.hub.docker.com',
];

const HTTPS_PORT = '443';

/**
 * The one spelling of a (lowercase) registry host: the port without leading zeros (a runtime
 * reads `:0443` as 443), no port when it is 443, and `docker.io` for every name of Docker Hub.
 */
export function canonicalRegistryHost(host: string): string {
  const colon = portColon(host);
  let hostname = host;
  if (colon !== -1) {
    hostname = host.slice(0, colon);
    let digits = colon + 1;
    while (digits < host.length - 1 && host.charCodeAt(digits) === 0x30 /* 0 */) digits++;
    const port = host.slice(digits);
    if (port !== HTTPS_PORT) return `${hostname}:${port}`;
  }
  return DOCKER_HUB_HOSTS.includes(hostname) ? DEFAULT_DOMAIN : hostname;
}

/**
 * A normalized name (host lowercased) in its canonical spelling: the canonical host, and on
 * Docker Hub a one-component path under `library/`, as normalize.go does for `docker.io`. A name
 * whose first component is not a host (no domain: `foo_bar.com/x`) has no `:` and names no
 * Docker Hub host, so it is returned unchanged.
 */
export function canonicalRegistryName(name: string): string {
  const slash = name.indexOf('/');
  if (slash === -1) return name;
  const host = name.slice(0, slash);
  const canonical = canonicalRegistryHost(host);
  if (canonical === host) return name;
  const path = name.slice(slash + 1);
  if (canonical === DEFAULT_DOMAIN && !path.includes('/'))
    return `${canonical}/${OFFICIAL_REPO_PREFIX}${path}`;
  return `${canonical}/${path}`;
}

/**
 * Every spelling of a canonical name that reaches its registry, for patterns whose host or port
 * is a wildcard (`*.docker.io`, `evil.com:*`), which cannot be canonicalized themselves: the
 * host with and without `:443` (when it has no other port), and on Docker Hub each of its names,
 * with the official path both with and without `library/`.
 */
export function registrySpellings(canonicalName: string): string[] {
  const slash = canonicalName.indexOf('/');
  const host = canonicalName.slice(0, slash);
  const path = canonicalName.slice(slash + 1);
  if (host === DEFAULT_DOMAIN) {
    const official =
      path.startsWith(OFFICIAL_REPO_PREFIX) && !path.includes('/', OFFICIAL_REPO_PREFIX.length);
    const paths = official ? [path, path.slice(OFFICIAL_REPO_PREFIX.length)] : [path];
    return DOCKER_HUB_HOSTS.flatMap((hub) =>
      paths.flatMap((p) => [`${hub}/${p}`, `${hub}:${HTTPS_PORT}/${p}`]),
    );
  }
  if (slash === -1 || portColon(host) !== -1) return [canonicalName];
  return [canonicalName, `${host}:${HTTPS_PORT}/${path}`];
}
