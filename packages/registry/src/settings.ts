import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { PullguardError } from '@pullguard/engine';
import { loadDockerConfig, loadRegistryAuthFile } from './credentials/config-files.js';
import { createCredentialSource } from './credentials/credential-source.js';
import type { RegistryListener } from './events.js';
import { createRegistryClient, REGISTRY_DEFAULTS, type RegistryClient } from './resolver.js';
import type { Transport } from './transport.js';

/**
 * The registry settings a user gives: one definition for the CLI and the server. Each field is
 * named as its flag (`registryTimeout` is `--registry-timeout`), so the values the flag table
 * reads (`registryFlags` in `@pullguard/server/flags`: flags, then environment variables such as
 * `PULLGUARD_PLAIN_HTTP`, then defaults) are these settings as they are. Nothing here reads the
 * environment but Docker's own `DOCKER_CONFIG`.
 */
export interface RegistrySettings {
  /** `--registry-auth`: a Docker config.json or a Kubernetes pull Secret; consulted before Docker's own config. */
  readonly registryAuth?: string | undefined;
  /** `--registry-ca`: a PEM file of CA certificates trusted in addition to the default ones. */
  readonly registryCa?: string | undefined;
  /** `--plain-http`: `HOST[:PORT]` entries spoken to without TLS. */
  readonly plainHttp?: readonly string[] | undefined;
  /** `--registry-timeout`: the budget of one lookup, ms (default 5 s; the admission server passes its own). */
  readonly registryTimeout?: number | undefined;
  /** `--digest-ttl`: how long a tag's digest is fresh, ms (default 5 min). */
  readonly digestTtl?: number | undefined;
  /** How long past `digestTtl` a tag's digest may stand in for a failing registry, ms (default 1 h). */
  readonly hardTtlMs?: number | undefined;
  /** `--offline`: no registry access at all; `createResolverFromSettings` returns undefined. */
  readonly offline?: boolean | undefined;
  /** Read `$DOCKER_CONFIG/config.json` / `~/.docker/config.json` (default true; off for a server that must use only its Secret). */
  readonly dockerConfig?: boolean | undefined;
}

/** What the embedding program supplies: environment, home, and the injected clock/network/listener. */
export interface RegistryContext {
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  readonly homeDir?: string | undefined;
  readonly now?: (() => number) | undefined;
  readonly transport?: Transport | undefined;
  readonly listener?: RegistryListener | undefined;
}

/**
 * Builds the resolver the settings describe, or undefined when `offline` (registry rules then
 * report "not checked"). Reads the files at once, so a wrong path or a malformed Secret is a
 * CONFIG_INVALID error at startup naming the file and field, not a failure at the first lookup.
 */
export function createResolverFromSettings(
  settings: RegistrySettings,
  context: RegistryContext = {},
): RegistryClient | undefined {
  if (settings.offline) return undefined;
  const env = context.env ?? process.env;
  const now = context.now ?? Date.now;
  const configs = settings.registryAuth === undefined ? [] : loadRegistryAuthFile(settings.registryAuth);
  if (settings.dockerConfig !== false) configs.push(loadDockerConfig(env, context.homeDir ?? homedir()));
  const timeoutMs = positive(settings.registryTimeout, '--registry-timeout') ?? REGISTRY_DEFAULTS.timeoutMs;
  return createRegistryClient({
    timeoutMs,
    digestTtlMs: positive(settings.digestTtl, '--digest-ttl'),
    hardTtlMs: positive(settings.hardTtlMs, 'hard TTL'),
    plainHttp: settings.plainHttp,
    extraCa: settings.registryCa === undefined ? undefined : readCa(settings.registryCa),
    credentials: createCredentialSource({
      configs,
      helperTimeoutMs: Math.min(REGISTRY_DEFAULTS.helperTimeoutMs, timeoutMs),
      helperCacheMs: 10 * 60_000,
      now,
    }),
    transport: context.transport,
    now,
    listener: context.listener,
  });
}

function readCa(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PullguardError(
      'CONFIG_INVALID',
      `--registry-ca: cannot read ${file}: ${(error as Error).message}`,
    );
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new PullguardError('CONFIG_INVALID', `--registry-ca: ${file} holds no PEM certificate`);
  }
  return text;
}

function positive(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0) {
    throw new PullguardError(
      'CONFIG_INVALID',
      `${name} must be a positive number of milliseconds, got ${value}`,
    );
  }
  return value;
}
