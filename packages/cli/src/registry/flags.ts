/**
 * The registry flags, defined once for every command that asks registries (`check`, `fix`,
 * `drift`, `test`): one table gives commander its options and `registrySettings` its defaults and
 * environment variables. No engine import: program.ts loads this before any command.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DURATION_EXPECTED, parseDuration } from '../config/duration.js';

/** The flags as commander parses them (durations already in ms). */
export interface RegistryFlags {
  registryAuth?: string | undefined;
  registryCa?: string | undefined;
  plainHttp?: string[] | undefined;
  registryTimeout?: number | undefined;
  digestTtl?: number | undefined;
  offline?: boolean | undefined;
  registryFixtures?: string | undefined;
}

/** What commands build a resolver from: plain data (worker threads receive a copy). */
export interface RegistrySettings {
  /** Ask no registry: registry rules report "not checked", `fix --pin-digests` and `drift` cannot run. */
  offline: boolean;
  /** Answer lookups from this fixtures file instead of registries. */
  fixtures: string | undefined;
  /** Docker config.json or a kubernetes.io/dockerconfigjson Secret (YAML or JSON). */
  authFile: string | undefined;
  /** PEM CA bundle trusted besides the system CAs. */
  caFile: string | undefined;
  /** `HOST[:PORT]` spoken to over plain HTTP: the flags', then PULLGUARD_PLAIN_HTTP's. */
  plainHttp: string[];
  timeoutMs: number;
  /** How long a tag's digest is fresh in the cache (served stale beyond, on registry errors). */
  digestTtlMs: number;
}

export const PLAIN_HTTP_ENV = 'PULLGUARD_PLAIN_HTTP';
export const DEFAULT_REGISTRY_TIMEOUT_MS = 5_000;
export const DEFAULT_DIGEST_TTL_MS = 5 * 60_000;

/** `registry.local`, `127.0.0.1:5000`, `[::1]:5000`: a registry host as references write it. */
const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\d{1,5}))?$/;

/** Why `value` is not `HOST[:PORT]`, or undefined. */
export function hostPortProblem(value: string): string | undefined {
  const match = HOST_PORT.exec(value);
  if (!match) return `"${value}" is not HOST[:PORT] (e.g. registry.local:5000)`;
  if (match[1] !== undefined && (Number(match[1]) < 1 || Number(match[1]) > 65535))
    return `port ${match[1]} is not between 1 and 65535`;
  return undefined;
}

const duration = (text: string): number => {
  const ms = parseDuration(text);
  if (ms === undefined) throw new InvalidArgumentError(`expected ${DURATION_EXPECTED}.`);
  return ms;
};

const hostPort = (text: string, previous: string[] = []): string[] => {
  const problem = hostPortProblem(text);
  if (problem !== undefined) throw new InvalidArgumentError(`${problem}.`);
  return [...previous, text];
};

/** The table: each row one option, with the parser that validates it while argv is parsed. */
const REGISTRY_OPTIONS: readonly (() => Option)[] = [
  () =>
    new Option(
      '--registry-auth <file>',
      'registry credentials: a Docker config.json or a kubernetes.io/dockerconfigjson Secret (default: $DOCKER_CONFIG/config.json, ~/.docker/config.json)',
    ),
  () => new Option('--registry-ca <file>', 'PEM CA bundle to trust for registries, besides the system CAs'),
  () =>
    new Option(
      '--plain-http <host[:port]>',
      `talk plain HTTP (no TLS) to this registry; repeatable (env ${PLAIN_HTTP_ENV}, comma-separated)`,
    ).argParser(hostPort),
  () =>
    new Option(
      '--registry-timeout <duration>',
      `how long one registry request may take (default ${DEFAULT_REGISTRY_TIMEOUT_MS / 1000}s)`,
    ).argParser(duration),
  () =>
    new Option(
      '--digest-ttl <duration>',
      `how long a tag's digest is reused before the registry is asked again (default ${DEFAULT_DIGEST_TTL_MS / 60_000}m)`,
    ).argParser(duration),
  () =>
    new Option('--offline', 'ask no registry: registry rules report "not checked" warnings').conflicts(
      'registryFixtures',
    ),
  () =>
    new Option(
      '--registry-fixtures <file>',
      'answer registry lookups from a fixtures file instead of registries (docs/registry.md#fixtures)',
    ),
];

/** Adds the registry flags to `command`. */
export function registryOptions(command: Command): Command {
  for (const option of REGISTRY_OPTIONS) command.addOption(option());
  return command;
}

/**
 * The flags with their defaults, plus `PULLGUARD_PLAIN_HTTP` (comma-separated). Returns a problem
 * message instead when the environment variable holds something that is not `HOST[:PORT]`.
 */
export function registrySettings(
  flags: RegistryFlags,
  env: Readonly<Record<string, string | undefined>> = process.env,
): RegistrySettings | string {
  const fromEnv = (env[PLAIN_HTTP_ENV] ?? '')
    .split(',')
    .map((host) => host.trim())
    .filter((host) => host !== '');
  for (const host of fromEnv) {
    const problem = hostPortProblem(host);
    if (problem !== undefined) return `${PLAIN_HTTP_ENV}: ${problem}`;
  }
  return {
    offline: flags.offline === true,
    fixtures: flags.registryFixtures,
    authFile: flags.registryAuth,
    caFile: flags.registryCa,
    plainHttp: [...new Set([...(flags.plainHttp ?? []), ...fromEnv])],
    timeoutMs: flags.registryTimeout ?? DEFAULT_REGISTRY_TIMEOUT_MS,
    digestTtlMs: flags.digestTtl ?? DEFAULT_DIGEST_TTL_MS,
  };
}
