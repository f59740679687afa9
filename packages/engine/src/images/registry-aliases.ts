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
const DOCKER_HUB = new Set(DOCKER_HUB_HOSTS);

const HTTPS_PORT = '443';
/** Every spelling of Docker Hub's host. */
const DOCKER_HUB_SPELLINGS = DOCKER_HUB_HOSTS.flatMap((host) => [host, `${host}:${HTTPS_PORT}`]);

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
  return DOCKER_HUB.has(hostname) ? DEFAULT_DOMAIN : hostname;
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
  // Most names are already canonical: no port (a path has no `:`), not another name of Docker Hub,
  // and not a one-component path on `docker.io` (the parser adds `library/` to `docker.io` only as
  // written, so `docker.io/nginx` here was `DOCKER.IO/nginx`: the same official image).
  const colon = name.indexOf(':');
  if (
    (colon === -1 || colon > slash) &&
    !otherDockerHubName(name, slash) &&
    !(slash === DEFAULT_DOMAIN.length && name.startsWith(DEFAULT_DOMAIN) && !name.includes('/', slash + 1))
  )
    return name;
  const host = name.slice(0, slash);
  const canonical = canonicalRegistryHost(host);
  const path = name.slice(slash + 1);
  if (canonical === DEFAULT_DOMAIN && !path.includes('/'))
    return `${canonical}/${OFFICIAL_REPO_PREFIX}${path}`;
  return canonical === host ? name : `${canonical}/${path}`;
}

/** Does `name` start with a Docker Hub host other than `docker.io`, ending at `end`? */
function otherDockerHubName(name: string, end: number): boolean {
  for (let i = 1; i < DOCKER_HUB_HOSTS.length; i++) {
    const host = DOCKER_HUB_HOSTS[i] as string;
    if (host.length === end && name.startsWith(host)) return true;
  }
  return false;
}

/**
 * Every spelling of a canonical host (`canonicalRegistryHost`), for patterns whose host or port is
 * a wildcard (`*.docker.io`, `evil.com:*`), which cannot be canonicalized themselves: the host
 * with and without `:443` (when it has no other port), and each name of Docker Hub.
 */
export function hostSpellings(canonicalHost: string): readonly string[] {
  if (canonicalHost === DEFAULT_DOMAIN) return DOCKER_HUB_SPELLINGS;
  if (portColon(canonicalHost) !== -1) return [canonicalHost];
  return [canonicalHost, `${canonicalHost}:${HTTPS_PORT}`];
}

/**
 * The spellings of a canonical path after its host: on Docker Hub an official image is also
 * written without `library/` (`registry-1.docker.io/nginx`); `path` starts with `/`.
 */
export function pathSpellings(canonicalHost: string, path: string): readonly string[] {
  const official = `/${OFFICIAL_REPO_PREFIX}`;
  if (canonicalHost !== DEFAULT_DOMAIN || !path.startsWith(official) || path.includes('/', official.length)) {
    return [path];
  }
  return [path, `/${path.slice(official.length)}`];
}
