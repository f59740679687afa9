import { PullguardError } from '@pullguard/engine';
import { HOST_PORT_EXPECTED, parseHostPort } from './host-port.js';

/**
 * Where a normalized registry domain is served. Docker Hub's name `docker.io` (normalize.go
 * `defaultDomain`) is not a registry API host: the docker daemon talks to `registry-1.docker.io`
 * (moby `registry/config.go` `DefaultRegistryHost`), and credentials for it are filed under the
 * index's URL `https://index.docker.io/v1/` (`IndexServer`).
 */
export const DOCKER_HUB_DOMAIN = 'docker.io';
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
export const DOCKER_HUB_INDEX_SERVER = 'https://index.docker.io/v1/';
const DOCKER_HUB_ALIASES = new Set([
  DOCKER_HUB_DOMAIN,
  'index.docker.io',
  DOCKER_HUB_API_HOST,
  'registry.hub.docker.com',
]);

/** The API host (with port) for a registry domain. */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB_DOMAIN ? DOCKER_HUB_API_HOST : registry;
}

/**
 * A credentials key as Docker reads it (docker/cli `registry.ConvertToHostname`: the scheme and
 * any path dropped), with every Docker Hub spelling folded into `docker.io`.
 */
export function credentialHost(key: string): string {
  let host = key.trim().toLowerCase();
  if (host.startsWith('http://')) host = host.slice(7);
  else if (host.startsWith('https://')) host = host.slice(8);
  const slash = host.indexOf('/');
  if (slash !== -1) host = host.slice(0, slash);
  return DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB_DOMAIN : host;
}

/**
 * The hosts allowed to speak plain HTTP. `HOST` allows every port of that host, `HOST:PORT` only
 * that port; nothing else is ever contacted without TLS (registry, token realm, anything).
 */
export class PlainHttpHosts {
  readonly #exact = new Set<string>();
  readonly #anyPort = new Set<string>();

  /** Throws PullguardError CONFIG_INVALID naming the entry that is not `HOST[:PORT]`. */
  constructor(entries: readonly string[], source = '--plain-http') {
    for (const raw of entries) {
      const entry = raw.trim();
      if (entry === '') continue;
      const parsed = parseHostPort(entry);
      if (parsed === undefined) {
        throw new PullguardError(
          'CONFIG_INVALID',
          `${source}: ${JSON.stringify(entry)} ${HOST_PORT_EXPECTED}`,
        );
      }
      if (parsed.port === '') this.#anyPort.add(parsed.hostname);
      else this.#exact.add(`${parsed.hostname}:${parsed.port}`);
    }
  }

  /** `url` is allowed over http:// when its host is listed. */
  allows(url: URL): boolean {
    const hostname = url.hostname.toLowerCase();
    const port = url.port || (url.protocol === 'http:' ? '80' : '443');
    return this.#anyPort.has(hostname) || this.#exact.has(`${hostname}:${port}`);
  }

  /** The base URL of a registry API host: http:// only when listed. */
  baseUrl(host: string): URL {
    const plain = new URL(`http://${host}/`);
    return this.allows(plain) ? plain : new URL(`https://${host}/`);
  }
}
