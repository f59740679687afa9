import { PullguardError } from '@pullguard/engine';
import { credentialHost } from '../endpoint.js';
import type { Credential } from './credential.js';

/**
 * A Docker client configuration as docker/cli reads it (cli/config/configfile/file.go and
 * types/authconfig.go): `auths` keyed by registry (host, URL or Docker Hub's
 * `https://index.docker.io/v1/`), each entry with `auth` (base64 `user:password`) or
 * `username`/`password`, or an `identitytoken` / `registrytoken`; `credHelpers` names a helper per
 * registry and `credsStore` one for all. The legacy `.dockercfg` form is the `auths` map alone.
 */
export interface DockerConfig {
  /** Where it came from, for messages. */
  readonly source: string;
  /** Keyed by `credentialHost` (so `https://index.docker.io/v1/` is `docker.io`). */
  readonly auths: ReadonlyMap<string, Credential | undefined>;
  readonly credHelpers: ReadonlyMap<string, string>;
  readonly credsStore?: string | undefined;
}

/** Helper names become a program name: `docker-credential-NAME`; nothing path-like gets through. */
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function emptyDockerConfig(source: string): DockerConfig {
  return { source, auths: new Map(), credHelpers: new Map() };
}

/** Parses `config.json` (`{auths, credHelpers, credsStore}`); throws CONFIG_INVALID naming the field. */
export function parseDockerConfig(value: unknown, source: string): DockerConfig {
  const config = object(value, source, '(top level)');
  const auths = config.auths === undefined ? {} : object(config.auths, source, 'auths');
  const credHelpers = new Map<string, string>();
  if (config.credHelpers !== undefined) {
    for (const [key, helper] of Object.entries(object(config.credHelpers, source, 'credHelpers'))) {
      credHelpers.set(credentialHost(key), helperName(helper, source, `credHelpers[${JSON.stringify(key)}]`));
    }
  }
  const credsStore =
    config.credsStore === undefined || config.credsStore === ''
      ? undefined
      : helperName(config.credsStore, source, 'credsStore');
  return { source, auths: parseAuths(auths, source, 'auths'), credHelpers, credsStore };
}

/** Parses the legacy `.dockercfg` form: the `auths` map without its wrapper. */
export function parseDockerCfg(value: unknown, source: string): DockerConfig {
  return {
    source,
    auths: parseAuths(object(value, source, '(top level)'), source, ''),
    credHelpers: new Map(),
  };
}

function parseAuths(
  auths: Record<string, unknown>,
  source: string,
  prefix: string,
): Map<string, Credential | undefined> {
  const result = new Map<string, Credential | undefined>();
  for (const [key, entry] of Object.entries(auths)) {
    const field = `${prefix}[${JSON.stringify(key)}]`;
    const host = credentialHost(key);
    // docker/cli: an exact key wins over one that only normalizes to the host; first one kept.
    if (!result.has(host)) result.set(host, authEntry(object(entry, source, field), source, field));
  }
  return result;
}

function authEntry(entry: Record<string, unknown>, source: string, field: string): Credential | undefined {
  const identityToken = optionalString(entry.identitytoken, source, `${field}.identitytoken`);
  if (identityToken) return { kind: 'identity-token', token: identityToken };
  const registryToken = optionalString(entry.registrytoken, source, `${field}.registrytoken`);
  if (registryToken) return { kind: 'registry-token', token: registryToken };
  const auth = optionalString(entry.auth, source, `${field}.auth`);
  if (auth) return decodeAuth(auth, source, `${field}.auth`);
  const username = optionalString(entry.username, source, `${field}.username`);
  const password = optionalString(entry.password, source, `${field}.password`);
  if (username && password !== undefined) return { kind: 'basic', username, password };
  return undefined; // `{}`: a placeholder written beside a credsStore
}

/** docker/cli `decodeAuth`: base64 of `user:password`, split at the first colon. */
function decodeAuth(auth: string, source: string, field: string): Credential {
  const decoded = /^[A-Za-z0-9+/]*={0,2}$/.test(auth) ? Buffer.from(auth, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon <= 0) {
    // The value is a secret: the message names the field, never the content.
    throw new PullguardError('CONFIG_INVALID', `${source}: ${field} is not base64 of "user:password"`);
  }
  return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function helperName(value: unknown, source: string, field: string): string {
  if (typeof value !== 'string' || !HELPER_NAME.test(value)) {
    throw new PullguardError(
      'CONFIG_INVALID',
      `${source}: ${field} must name a credential helper (the part after "docker-credential-")`,
    );
  }
  return value;
}

function object(value: unknown, source: string, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PullguardError('CONFIG_INVALID', `${source}: ${field} must be an object`);
  }
  return value as Record<string, unknown>;
}

function optionalString(value: unknown, source: string, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new PullguardError('CONFIG_INVALID', `${source}: ${field} must be a string`);
  return value;
}
