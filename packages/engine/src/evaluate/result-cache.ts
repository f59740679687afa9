/**
 * The result cache: rule outcomes per (plan, facts the plan's rules read), in a bounded LRU.
 * An entry is valid until its own end of validity, checked against the injected clock: the TTL
 * if one is configured, and never past the policy set's next exemption expiry. A reload gives
 * every plan a new identity, so no entry of the old policy set could be hit again; the engine
 * clears the cache on a reload (evaluate/engine.ts) rather than let them age out.
 * Invariants: docs/performance-invariants.md#the-result-cache.
 */
import type { CacheOptions, CacheStats } from '../engine-api.js';
import { LruMap } from '../lru-map.js';

const DEFAULT_MAX = 50_000;

interface Entry<T> {
  value: T;
  /** ms since epoch; the entry is stale from this instant on. */
  until: number;
}

export class ResultCache<T extends object> {
  /** Bounds the entries and decides evictions (least recently used). */
  readonly #entries: LruMap<string | number, Entry<T>>;
  readonly #max: number;
  readonly #ttlMs: number | undefined;
  /** Short ids for long key parts (see `intern`); never reused. */
  readonly #ids = new Map<string, number>();
  #nextId = 0;
  #hits = 0;
  #misses = 0;

  constructor(options: CacheOptions = {}) {
    const max = options.max ?? DEFAULT_MAX;
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`cache.max must be a positive integer, not ${max}`);
    if (options.ttlMs !== undefined && !(options.ttlMs > 0)) {
      throw new RangeError(`cache.ttlMs must be a positive number of milliseconds, not ${options.ttlMs}`);
    }
    // Validity is checked against the injected clock (`until`), never a clock of the cache's own.
    this.#entries = new LruMap(max);
    this.#max = max;
    this.#ttlMs = options.ttlMs;
  }

  /** The value stored under `key` if it is still valid at `now`; counts a hit or a miss. */
  get(key: string | number, now: number): T | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined && now < entry.until) {
      this.#hits++;
      return entry.value;
    }
    if (entry !== undefined) this.#entries.delete(key);
    this.#misses++;
    return undefined;
  }

  /** Stores `value`, valid from `now` until the TTL ends or `notAfter` (e.g. the next exemption expiry). */
  set(key: string | number, value: T, now: number, notAfter: number | undefined): void {
    const ttlEnd = this.#ttlMs === undefined ? Number.POSITIVE_INFINITY : now + this.#ttlMs;
    const until = notAfter === undefined ? ttlEnd : Math.min(ttlEnd, notAfter);
    if (until <= now) return;
    this.#entries.set(key, { value, until });
  }

  /**
   * A number standing for `value` (an image string) in keys (see cache-key.ts): `value` itself is
   * usually a string seen before, whose hash V8 keeps. Ids come from a counter and are never reused,
   * so when the table is emptied (it holds at most twice `max` values) a key built from a new id
   * cannot collide with an older entry; those simply age out (docs/performance-invariants.md#interned-image-ids).
   */
  intern(value: string): number {
    let id = this.#ids.get(value);
    if (id === undefined) {
      if (this.#ids.size >= this.#max * 2) this.#ids.clear();
      id = this.#nextId++;
      this.#ids.set(value, id);
    }
    return id;
  }

  clear(): void {
    this.#entries.clear();
  }

  stats(): CacheStats {
    return { hits: this.#hits, misses: this.#misses, size: this.#entries.size, max: this.#max };
  }
}
