/**
 * The engine's `LruMap` (packages/engine/src/lru-map.ts) as lru-cache 11 would replace it: the same
 * constructor and methods (`get` marks an entry as used, `peek` does not, `set`, `delete`, `clear`,
 * `size`, `max`), inherited from `LRUCache` with no code of its own on the way, so that what
 * `--compare-lru` measures is lru-cache itself (lib/lru-variant.mjs swaps this module in).
 */
import { LRUCache } from 'lru-cache';

export class LruMap extends LRUCache {
  constructor(max) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a positive integer, not ${max}`);
    super({ max });
  }
}
