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
   *
   * But an iterator also keeps alive every table the Map has been rehashed out of since its last
   * `next()` (V8 chains an obsolete table to its successor so the iterator can catch up). A map
   * that is only read, moving hits to the tail, never advances the iterator, so that chain grew
   * without bound: an obsolete table per few thousand hits, 19 MB of large objects in the
   * admission server's image-parser memo after 48 s of load. `#insertsSinceEviction` bounds it.
   */
  #oldest: Iterator<K> | undefined;
  /**
   * Insertions since `#oldest` last moved. After `max` of them the iterator is dropped: it then
   * pins the tables of at most `max` insertions (a rehash needs at least `capacity - size` of
   * them), and the next eviction's fresh iterator skips at most one table's holes, once per
   * `max` insertions.
   */
  #insertsSinceEviction = 0;
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
      this.#inserted();
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
    else this.#inserted();
  }

  /** Counts an insertion that did not advance `#oldest`, and lets go of it after `max` of them. */
  #inserted(): void {
    if (this.#oldest !== undefined && ++this.#insertsSinceEviction >= this.max) {
      this.#oldest = undefined;
      this.#insertsSinceEviction = 0;
    }
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
    this.#insertsSinceEviction = 0;
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
    this.#oldest = undefined;
    this.#insertsSinceEviction = 0;
  }
}
