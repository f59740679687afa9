/**
 * The result cache: rule outcomes per (plan, facts the plan's rules read), in a bounded LRU.
 * An entry is valid until its own end of validity, checked against the injected clock: the TTL
 * if one is configured, and never past the policy set's next exemption expiry. A reload gives
 * every plan a new identity, so entries of the old policy set are never hit again (they age out).
 */
import { LRUCache } from 'lru-cache';
import type { CacheOptions, CacheStats } from '../engine-api.js';

const DEFAULT_MAX = 50_000;

interface Entry<T> {
  value: T;
  /** ms since epoch; the entry is stale from this instant on. */
  until: number;
}

export class ResultCache<T extends object> {
  readonly #lru: LRUCache<string, Entry<T>>;
  readonly #ttlMs: number | undefined;
  #hits = 0;
  #misses = 0;

  constructor(options: CacheOptions = {}) {
    const max = options.max ?? DEFAULT_MAX;
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`cache.max must be a positive integer, not ${max}`);
    if (options.ttlMs !== undefined && !(options.ttlMs > 0)) {
      throw new RangeError(`cache.ttlMs must be a positive number of milliseconds, not ${options.ttlMs}`);
    }
    // No lru-cache TTL: it reads its own clock; validity is checked against the injected one.
    this.#lru = new LRUCache<string, Entry<T>>({ max });
    this.#ttlMs = options.ttlMs;
  }

  /** The value stored under `key` if it is still valid at `now`; counts a hit or a miss. */
  get(key: string, now: number): T | undefined {
    const entry = this.#lru.get(key);
    if (entry !== undefined && now < entry.until) {
      this.#hits++;
      return entry.value;
    }
    if (entry !== undefined) this.#lru.delete(key);
    this.#misses++;
    return undefined;
  }

  /** Stores `value`, valid from `now` until the TTL ends or `notAfter` (e.g. the next exemption expiry). */
  set(key: string, value: T, now: number, notAfter: number | undefined): void {
    const ttlEnd = this.#ttlMs === undefined ? Number.POSITIVE_INFINITY : now + this.#ttlMs;
    const until = notAfter === undefined ? ttlEnd : Math.min(ttlEnd, notAfter);
    if (until <= now) return;
    this.#lru.set(key, { value, until });
  }

  clear(): void {
    this.#lru.clear();
  }

  stats(): CacheStats {
    return { hits: this.#hits, misses: this.#misses, size: this.#lru.size, max: this.#lru.max };
  }
}
