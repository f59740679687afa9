/**
 * What the client reports as it works, for the server to export as metrics (and anyone else to
 * log): one call per HTTP exchange, per rate-limit reading and per cache decision. A listener that
 * throws is ignored — reporting must never change a lookup's answer.
 */

export interface RegistryRequestEvent {
  /** The registry domain the lookup was for (`docker.io`). */
  readonly registry: string;
  /** The host contacted (`registry-1.docker.io`, or the token realm's host). */
  readonly host: string;
  readonly method: 'GET' | 'HEAD' | 'POST';
  /** `ping` = `GET /v2/` (learning the auth scheme), `token` = the token realm, `manifest` = the lookup itself. */
  readonly purpose: 'ping' | 'token' | 'manifest';
  /** The HTTP status, or undefined when no response came. */
  readonly status: number | undefined;
  /** The status as text, or why there was none (`refused`, `reset`, `aborted`, `tls`, …): the `code` label. */
  readonly code: string;
  readonly durationMs: number;
}

export interface RegistryRateLimitEvent {
  readonly registry: string;
  readonly host: string;
  /** Docker Hub's `ratelimit-remaining` count. */
  readonly remaining: number;
  readonly windowSeconds?: number | undefined;
}

export interface DigestCacheEvent {
  /** `hit`: a fresh answer; `miss`: the registry was asked; `stale`: it failed and an answer past its soft TTL was served. */
  readonly outcome: 'hit' | 'miss' | 'stale';
  readonly registry: string;
  /** A tag → digest answer, or a digest's existence. */
  readonly kind: 'tag' | 'digest';
}

export interface RegistryListener {
  request?(event: RegistryRequestEvent): void;
  rateLimit?(event: RegistryRateLimitEvent): void;
  cache?(event: DigestCacheEvent): void;
}

/**
 * The metric each event feeds, so the server and the docs use one set of names:
 * `request` → requests_total{registry,method,code} and request_duration_seconds;
 * `rateLimit` → ratelimit_remaining{registry}; `cache` → digest_cache_{hits,misses,stale}_total.
 */
export const REGISTRY_METRICS = {
  requestsTotal: 'pullguard_registry_requests_total',
  requestDurationSeconds: 'pullguard_registry_request_duration_seconds',
  rateLimitRemaining: 'pullguard_registry_ratelimit_remaining',
  cacheHitsTotal: 'pullguard_digest_cache_hits_total',
  cacheMissesTotal: 'pullguard_digest_cache_misses_total',
  cacheStaleTotal: 'pullguard_digest_cache_stale_total',
} as const;

/** Calls one listener method, swallowing what it throws. */
export function emit<K extends keyof RegistryListener>(
  listener: RegistryListener | undefined,
  method: K,
  event: Parameters<NonNullable<RegistryListener[K]>>[0],
): void {
  const handler = listener?.[method] as ((event: unknown) => void) | undefined;
  if (handler === undefined) return;
  try {
    handler.call(listener, event);
  } catch {
    // reporting never changes a lookup
  }
}
