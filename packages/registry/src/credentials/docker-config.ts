import { PullguardError } from '@pullguard/engine';
import { formatFieldPath, type PathSegment } from '@pullguard/engine/internals';
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

/**
 * Reports a mistake at `path` of a config (`["auths", "r.io", "auth"]`) and stops. Messages say
 * what is wrong with the field ("must be a string"); they never quote its value, a secret.
 */
export type ConfigProblem = (path: readonly PathSegment[], message: string) => never;

/** For a config.json, read as JSON without positions: the message names file and field. */
export function namedProblem(source: string): ConfigProblem {
  return (path, message) => {
    const field = formatFieldPath(path);
    throw new PullguardError('CONFIG_INVALID', `${source}: ${field || '(top level)'} ${message}`, {
      field: field || undefined,
    });
  };
}

/** Parses `config.json` (`{auths, credHelpers, credsStore}`); throws CONFIG_INVALID naming the field. */
export function parseDockerConfig(
  value: unknown,
  source: string,
  fail: ConfigProblem = namedProblem(source),
): DockerConfig {
  const config = object(value, [], fail);
  const auths = config.auths === undefined ? {} : object(config.auths, ['auths'], fail);
  const credHelpers = new Map<string, string>();
  if (config.credHelpers !== undefined) {
    for (const [key, helper] of Object.entries(object(config.credHelpers, ['credHelpers'], fail))) {
      credHelpers.set(credentialHost(key), helperName(helper, ['credHelpers', key], fail));
    }
  }
  const credsStore =
    config.credsStore === undefined || config.credsStore === ''
      ? undefined
      : helperName(config.credsStore, ['credsStore'], fail);
  return { source, auths: parseAuths(auths, ['auths'], fail), credHelpers, credsStore };
}

/** Parses the legacy `.dockercfg` form: the `auths` map without its wrapper. */
export function parseDockerCfg(
  value: unknown,
  source: string,
  fail: ConfigProblem = namedProblem(source),
): DockerConfig {
  return { source, auths: parseAuths(object(value, [], fail), [], fail), credHelpers: new Map() };
}

function parseAuths(
  auths: Record<string, unknown>,
  path: readonly PathSegment[],
  fail: ConfigProblem,
): Map<string, Credential | undefined> {
  const result = new Map<string, Credential | undefined>();
  for (const [key, entry] of Object.entries(auths)) {
    const host = credentialHost(key);
    // docker/cli: an exact key wins over one that only normalizes to the host; first one kept.
    if (!result.has(host))
      result.set(host, authEntry(object(entry, [...path, key], fail), [...path, key], fail));
  }
  return result;
}

function authEntry(
  entry: Record<string, unknown>,
  path: readonly PathSegment[],
  fail: ConfigProblem,
): Credential | undefined {
  const field = (name: string) => optionalString(entry[name], [...path, name], fail);
  const identityToken = field('identitytoken');
  if (identityToken) return { kind: 'identity-token', token: identityToken };
  const registryToken = field('registrytoken');
  if (registryToken) return { kind: 'registry-token', token: registryToken };
  const auth = field('auth');
  if (auth) return decodeAuth(auth, [...path, 'auth'], fail);
  const username = field('username');
  const password = field('password');
  if (username && password !== undefined) return { kind: 'basic', username, password };
  return undefined; // `{}`: a placeholder written beside a credsStore
}

/** docker/cli `decodeAuth`: base64 of `user:password`, split at the first colon. */
function decodeAuth(auth: string, path: readonly PathSegment[], fail: ConfigProblem): Credential {
  const decoded = /^[A-Za-z0-9+/]*={0,2}$/.test(auth) ? Buffer.from(auth, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  // The value is a secret: the message names the field, never the content.
  if (colon <= 0) fail(path, 'is not base64 of "user:password"');
  return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function helperName(value: unknown, path: readonly PathSegment[], fail: ConfigProblem): string {
  if (typeof value !== 'string' || !HELPER_NAME.test(value))
    fail(path, 'must name a credential helper (the part after "docker-credential-")');
  return value;
}

function object(value: unknown, path: readonly PathSegment[], fail: ConfigProblem): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, 'must be an object');
  return value as Record<string, unknown>;
}

function optionalString(
  value: unknown,
  path: readonly PathSegment[],
  fail: ConfigProblem,
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(path, 'must be a string');
  return value;
}
