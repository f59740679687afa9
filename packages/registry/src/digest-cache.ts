import type { RegistryReference, Resolution, ResolvedManifest } from '@pullguard/engine';
import { LRUCache } from 'lru-cache';
import { apiHost } from './endpoint.js';
import { emit, type RegistryListener } from './events.js';
import { TRANSIENT_KINDS } from './failure.js';

export interface DigestCacheOptions {
  /** A tag's answer is fresh this long; then the registry is asked again. */
  readonly tagTtlMs: number;
  /** Past the soft TTL, a tag's answer may stand in for a failing registry (marked stale) this long. */
  readonly hardTtlMs: number;
  /** A digest's existence is kept this long (a digest names immutable content). */
  readonly digestTtlMs: number;
  readonly max: number;
  readonly now: () => number;
  readonly listener?: RegistryListener | undefined;
}

/** The lookup a cache miss runs; the registry's answer, or a failure. Never rejects. */
export type Fetch = () => Promise<Resolution>;

/**
 * Answers by key, where the key is the question: `registry/repository:tag` or
 * `registry/repository@digest`. An entry is the registry's answer to exactly that question and
 * carries the digest it vouches for, so
 * - a digest question is only ever answered by an entry for that digest (never by a tag's entry),
 *   and a stored digest answer is the registry's confirmation of that very digest;
 * - a tag's entry is served as fresh for `tagTtlMs` only; after that the registry is asked, and
 *   the old digest is served again only, marked `stale`, when the registry cannot answer
 *   (unreachable, timeout, rate limited) and only until `hardTtlMs` — a definitive "not found" or
 *   "unauthorized" is never papered over;
 * - concurrent questions share one lookup (single-flight), and each caller may give up at its own
 *   deadline without cancelling the others'.
 * A tag's answer also records the existence of the digest it named (an existence fact, not a tag's).
 */
export class DigestCache {
  readonly #entries: LRUCache<string, ResolvedManifest>;
  readonly #inflight = new Map<string, Promise<Resolution>>();

  constructor(private readonly options: DigestCacheOptions) {
    // lru-cache drops an entry at its own TTL (hard TTL for tags, digest TTL for digests) by the
    // injected clock; freshness within that is decided here from `resolvedAt`.
    // `ttlResolution: 0`: lru-cache otherwise memoizes the time for 1 ms with a real timer.
    this.#entries = new LRUCache({ max: options.max, perf: { now: options.now }, ttlResolution: 0 });
  }

  async resolve(reference: RegistryReference & { readonly key: string }, fetch: Fetch, signal?: AbortSignal) {
    const kind = reference.digest === undefined ? 'tag' : 'digest';
    const registry = reference.registry;
    const cached = this.#entries.get(reference.key);
    if (
      cached !== undefined &&
      (kind === 'digest' || this.options.now() - cached.resolvedAt < this.options.tagTtlMs)
    ) {
      emit(this.options.listener, 'cache', { outcome: 'hit', registry, kind });
      return ok(cached);
    }
    emit(this.options.listener, 'cache', { outcome: 'miss', registry, kind });
    const result = await raceSignal(this.#shared(reference.key, reference, fetch), signal, registry);
    if (result.ok || cached === undefined || !TRANSIENT_KINDS.has(result.failure.kind)) return result;
    if (this.options.now() - cached.resolvedAt >= this.options.hardTtlMs) return result;
    emit(this.options.listener, 'cache', { outcome: 'stale', registry, kind });
    return ok({ ...cached, stale: true });
  }

  /** Forgets everything (tests, and a server told that tags moved). */
  clear(): void {
    this.#entries.clear();
  }

  #shared(key: string, reference: RegistryReference, fetch: Fetch): Promise<Resolution> {
    let pending = this.#inflight.get(key);
    if (pending === undefined) {
      pending = fetch()
        .then((result) => {
          if (result.ok) this.#store(key, reference, result.manifest);
          return result;
        })
        .finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, pending);
    }
    return pending;
  }

  #store(key: string, reference: RegistryReference, manifest: ResolvedManifest): void {
    if (reference.digest !== undefined) {
      this.#entries.set(key, manifest, { ttl: this.options.digestTtlMs });
      return;
    }
    this.#entries.set(key, manifest, { ttl: this.options.hardTtlMs });
    const digestKey = cacheKey({ ...reference, tag: undefined, digest: manifest.digest });
    this.#entries.set(digestKey, manifest, { ttl: this.options.digestTtlMs });
  }
}

/** The question a lookup answers, as a cache key: registry, repository, and tag or digest. */
export function cacheKey(reference: RegistryReference): string {
  const base = `${reference.registry}/${reference.repository}`;
  return reference.digest === undefined ? `${base}:${reference.tag}` : `${base}@${reference.digest}`;
}

function ok(manifest: ResolvedManifest): Resolution {
  return { ok: true, manifest };
}

/** The shared lookup, or a `timeout` failure when this caller's own signal fires first. */
function raceSignal(pending: Promise<Resolution>, signal: AbortSignal | undefined, registry: string) {
  if (signal === undefined) return pending;
  const aborted = (): Resolution => ({
    ok: false,
    failure: {
      kind: 'timeout',
      host: apiHost(registry),
      message: `the lookup in ${registry} was cancelled by the caller's deadline`,
      hint: 'the registry answered too slowly for this deadline; raise the timeout or check the registry',
    },
  });
  if (signal.aborted) return Promise.resolve(aborted());
  return new Promise<Resolution>((resolve) => {
    const onAbort = () => resolve(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then((result) => {
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    });
  });
}
