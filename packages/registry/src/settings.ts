import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { PullguardError } from '@pullguard/engine';
import { loadDockerConfig, loadRegistryAuthFile } from './credentials/config-files.js';
import { createCredentialSource } from './credentials/credential-source.js';
import { plainHttpFromEnv } from './endpoint.js';
import type { RegistryListener } from './events.js';
import {
  createRegistryClient,
  REGISTRY_DEFAULTS,
  type RegistryClient,
  type RegistryClientOptions,
} from './resolver.js';
import type { Transport } from './transport.js';

/**
 * The registry settings a user gives, one definition for the CLI flags and the server's
 * environment: `--registry-auth FILE`, `--registry-ca FILE`, `--plain-http HOST[:PORT]`
 * (repeatable; plus `PULLGUARD_PLAIN_HTTP`, comma-separated), `--registry-timeout`,
 * `--digest-ttl`, and `--offline`.
 */
export interface RegistrySettings
  extends Pick<RegistryClientOptions, 'plainHttp' | 'timeoutMs' | 'digestTtlMs' | 'hardTtlMs'> {
  /** A Docker config.json or a Kubernetes pull Secret; consulted before Docker's own config. */
  readonly registryAuth?: string | undefined;
  /** A PEM file of CA certificates trusted in addition to the default ones. */
  readonly registryCa?: string | undefined;
  /** No registry access at all: `createResolverFromSettings` returns undefined. */
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
  const timeoutMs = positive(settings.timeoutMs, '--registry-timeout') ?? REGISTRY_DEFAULTS.timeoutMs;
  return createRegistryClient({
    timeoutMs,
    digestTtlMs: positive(settings.digestTtlMs, '--digest-ttl'),
    hardTtlMs: positive(settings.hardTtlMs, 'hard TTL'),
    plainHttp: [...(settings.plainHttp ?? []), ...plainHttpFromEnv(env)],
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
