import {
  type RegistryFailure,
  type RegistryReference,
  type RegistryResolver,
  type Resolution,
  type ResolveOptions,
  tryParseImageReference,
} from '@pullguard/engine';
import { Authorizer } from './authorizer.js';
import type { CredentialSource } from './credentials/credential.js';
import { cacheKey, DigestCache } from './digest-cache.js';
import { apiHost, PlainHttpHosts } from './endpoint.js';
import type { RegistryListener } from './events.js';
import { LookupFailure } from './failure.js';
import { HostLimiter } from './host-limiter.js';
import { lookupManifest } from './manifest-lookup.js';
import { createNodeTransport } from './node-transport.js';
import { RegistryHttp } from './registry-http.js';
import type { Transport } from './transport.js';

/** Defaults for the CLI; the admission server passes its own `timeoutMs` (2 s). */
export const REGISTRY_DEFAULTS = {
  timeoutMs: 5000,
  connectTimeoutMs: 3000,
  digestTtlMs: 5 * 60_000,
  hardTtlMs: 60 * 60_000,
  digestExistenceTtlMs: 24 * 60 * 60_000,
  cacheMax: 10_000,
  maxConcurrentPerRegistry: 8,
  helperTimeoutMs: 5000,
} as const;

export interface RegistryClientOptions {
  /** `--registry-timeout`: the whole budget of one lookup (ping, token, HEAD/GET, retries, waits). CLI 5 s, admission 2 s. */
  readonly timeoutMs?: number | undefined;
  /** For the default transport: a TCP connect slower than this fails the attempt. */
  readonly connectTimeoutMs?: number | undefined;
  /** `--digest-ttl`: soft TTL of a tag's answer. */
  readonly digestTtlMs?: number | undefined;
  /** How long past its soft TTL a tag's answer may stand in for a failing registry. */
  readonly hardTtlMs?: number | undefined;
  /** How long a digest's existence is remembered. */
  readonly digestExistenceTtlMs?: number | undefined;
  readonly cacheMax?: number | undefined;
  readonly maxConcurrentPerRegistry?: number | undefined;
  /** `--plain-http HOST[:PORT]` entries allowed over plain HTTP (settings add `PULLGUARD_PLAIN_HTTP`). */
  readonly plainHttp?: readonly string[] | undefined;
  /** Extra CA certificates (PEM) for the default transport. */
  readonly extraCa?: string | undefined;
  /** Anonymous when absent. */
  readonly credentials?: CredentialSource | undefined;
  /** The network; `createNodeTransport` when absent. */
  readonly transport?: Transport | undefined;
  /** Milliseconds since the epoch: cache ages, token lifetimes, `resolvedAt`. */
  readonly now?: (() => number) | undefined;
  readonly listener?: RegistryListener | undefined;
}

export interface RegistryClient extends RegistryResolver {
  /** Forgets every cached answer. */
  clearCache(): void;
  /** Closes pooled connections; lookups after this open new ones. */
  close(): void;
}

const ANONYMOUS: CredentialSource = { lookup: async () => undefined };

/**
 * The engine's RegistryResolver over the OCI distribution API. Never throws: a bad reference, a
 * registry error or a bug in a collaborator all come back as `{ ok: false, failure }`.
 */
export function createRegistryClient(options: RegistryClientOptions = {}): RegistryClient {
  const timeoutMs = options.timeoutMs ?? REGISTRY_DEFAULTS.timeoutMs;
  const now = options.now ?? Date.now;
  const plainHttp = new PlainHttpHosts(options.plainHttp ?? []);
  const transport =
    options.transport ??
    createNodeTransport({
      connectTimeoutMs: Math.min(options.connectTimeoutMs ?? REGISTRY_DEFAULTS.connectTimeoutMs, timeoutMs),
      extraCa: options.extraCa,
    });
  const http = new RegistryHttp(
    transport,
    new HostLimiter(options.maxConcurrentPerRegistry ?? REGISTRY_DEFAULTS.maxConcurrentPerRegistry),
    options.listener,
  );
  const authorizer = new Authorizer(http, options.credentials ?? ANONYMOUS, plainHttp, now);
  const cache = new DigestCache({
    tagTtlMs: options.digestTtlMs ?? REGISTRY_DEFAULTS.digestTtlMs,
    hardTtlMs: Math.max(
      options.hardTtlMs ?? REGISTRY_DEFAULTS.hardTtlMs,
      options.digestTtlMs ?? REGISTRY_DEFAULTS.digestTtlMs,
    ),
    digestTtlMs: options.digestExistenceTtlMs ?? REGISTRY_DEFAULTS.digestExistenceTtlMs,
    max: options.cacheMax ?? REGISTRY_DEFAULTS.cacheMax,
    now,
    listener: options.listener,
  });

  const lookup = async (reference: NormalizedReference): Promise<Resolution> => {
    const host = apiHost(reference.registry);
    const signal = AbortSignal.timeout(timeoutMs);
    const deadline = { signal, at: performance.now() + timeoutMs, timeoutMs };
    try {
      const answer = await lookupManifest(
        http,
        authorizer,
        {
          registry: reference.registry,
          host,
          base: plainHttp.baseUrl(host),
          repository: reference.repository,
          reference: reference.digest ?? reference.tag,
          digest: reference.digest,
        },
        deadline,
      );
      return { ok: true, manifest: { ...answer, stale: false, resolvedAt: now() } };
    } catch (error) {
      return { ok: false, failure: asFailure(error, host) };
    }
  };

  return {
    async resolve(reference: RegistryReference, resolveOptions?: ResolveOptions): Promise<Resolution> {
      const normalized = normalize(reference);
      if ('failure' in normalized) return normalized;
      return cache.resolve(normalized, () => lookup(normalized), resolveOptions?.signal);
    },
    clearCache: () => cache.clear(),
    close: () => transport.close?.(),
  };
}

interface NormalizedReference extends RegistryReference {
  readonly tag: string;
  readonly key: string;
}

/**
 * The reference as the engine normalizes it (`index.docker.io` → `docker.io`, a one-component
 * Docker Hub name → `library/…`), validated by the engine's grammar so nothing but a reference
 * reaches a URL. No tag and no digest means `latest`, as the container runtimes read it.
 */
function normalize(
  reference: RegistryReference,
): NormalizedReference | { ok: false; failure: RegistryFailure } {
  const tag = reference.tag ?? 'latest';
  const written = `${reference.registry}/${reference.repository}:${tag}${reference.digest ? `@${reference.digest}` : ''}`;
  const parsed = tryParseImageReference(written);
  if (!parsed.ok || parsed.reference.domain === '') {
    return {
      ok: false,
      failure: {
        kind: 'protocol',
        host: String(reference.registry),
        message: parsed.ok
          ? `invalid reference ${JSON.stringify(written)}: no registry`
          : parsed.error.message,
        hint: 'resolve references parsed by the engine (registry, repository, tag or digest)',
      },
    };
  }
  const { domain, path, digest } = parsed.reference;
  const normalized = { registry: domain, repository: path, tag, digest };
  return { ...normalized, key: cacheKey(normalized) };
}

/** Anything thrown below becomes a failure; an unexpected error is a bug, reported as `protocol`. */
function asFailure(error: unknown, host: string): RegistryFailure {
  if (error instanceof LookupFailure) return error.failure;
  return {
    kind: 'protocol',
    host,
    message: `internal error while asking ${host}: ${error instanceof Error ? error.name : typeof error}`,
    hint: 'report this as a pullguard bug',
  };
}
