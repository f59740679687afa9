/**
 * A bounded map that forgets its least recently used entry first, for the engine's memos (image
 * references, namespace plans, rule results). A Map iterates in insertion order, so "recently
 * used" is "inserted last": a hit re-inserts, `set` evicts from the front. Nothing is allocated
 * up front (a short-lived engine pays for what it stores).
 *
 * Recency is kept to within half the bound: a hit re-inserts its entry only when `max / 2` stores
 * have happened since the entry was last (re-)inserted, so an entry that is hit is still never
 * evicted before `max / 2` more stores. Re-inserting on every hit made a read-mostly memo
 * rebuild its table every few thousand hits, and V8 allocates the new table of a long-lived Map
 * straight in the old generation (or the large-object space), where it stays until the next full
 * GC: 0.4 MB/s of the admission server's RSS growth under load. Now a hit is one lookup.
 * Invariants, and why not lru-cache: docs/performance-invariants.md#bounded-memos.
 */
interface Slot<V> {
  value: V;
  /** `#stores` when the entry was last (re-)inserted. */
  stamp: number;
}

export class LruMap<K, V> {
  readonly #entries = new Map<K, Slot<V>>();
  #stores = 0;
  /**
   * Walks the entries in insertion order, one eviction at a time. A fresh `keys().next()` per
   * eviction would skip every hole left by earlier deletions at the front of V8's table (quadratic:
   * seconds for 350,000 stores at 50,000 entries); a Map iterator stays valid across deletions and
   * rehashing, and everything before its position has been evicted or re-inserted after it.
   *
   * But an iterator also keeps alive every table the Map has been rehashed out of since its last
   * `next()` (V8 chains an obsolete table to its successor so the iterator can catch up). A map
   * that is only read, moving hits to the tail, never advances the iterator, so that chain grew
   * without bound (19 MB of large objects in the admission server's image-parser memo after 48 s
   * of load, when every hit re-inserted). `#insertsSinceEviction` bounds it.
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

  /** The value, marked as recently used (see the class comment for how recently). */
  get(key: K): V | undefined {
    const slot = this.#entries.get(key);
    if (slot === undefined) return undefined;
    if (this.#stores - slot.stamp >= this.max >> 1) {
      const entries = this.#entries;
      entries.delete(key);
      entries.set(key, slot);
      slot.stamp = this.#stores;
      this.#inserted();
    }
    return slot.value;
  }

  /** The value, its recency unchanged. */
  peek(key: K): V | undefined {
    return this.#entries.get(key)?.value;
  }

  set(key: K, value: V): void {
    const entries = this.#entries;
    entries.delete(key);
    entries.set(key, { value, stamp: ++this.#stores });
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
