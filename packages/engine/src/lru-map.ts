/**
 * A bounded map that forgets its least recently used entry first, for the engine's memos (image
 * references, namespace plans, rule results). A Map iterates in insertion order, so "recently
 * used" is "inserted last": `get` re-inserts, `set` evicts from the front. Nothing is allocated
 * up front (a short-lived engine pays for what it stores) and a hit costs two Map operations.
 */
export class LruMap<K, V> {
  readonly #entries = new Map<K, V>();
  /**
   * Walks the entries in insertion order, one eviction at a time. A fresh `keys().next()` per
   * eviction would skip every hole left by earlier deletions at the front of V8's table (quadratic:
   * seconds for 350,000 stores at 50,000 entries); a Map iterator stays valid across deletions and
   * rehashing, and everything before its position has been evicted or re-inserted after it.
   */
  #oldest: Iterator<K> | undefined;
  readonly max: number;

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a positive integer, not ${max}`);
    this.max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The value, marked as the most recently used. */
  get(key: K): V | undefined {
    const entries = this.#entries;
    const value = entries.get(key);
    if (value !== undefined) {
      entries.delete(key);
      entries.set(key, value);
    }
    return value;
  }

  /** The value, its recency unchanged. */
  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  set(key: K, value: V): void {
    const entries = this.#entries;
    entries.delete(key);
    entries.set(key, value);
    if (entries.size > this.max) this.#evictOldest();
  }

  #evictOldest(): void {
    this.#oldest ??= this.#entries.keys();
    let next = this.#oldest.next();
    if (next.done) {
      // Finished iterators stay finished: start again from the front.
      this.#oldest = this.#entries.keys();
      next = this.#oldest.next();
    }
    this.#entries.delete(next.value as K);
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
    this.#oldest = undefined;
  }
}
