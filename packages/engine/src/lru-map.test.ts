import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { LruMap } from './lru-map.js';

/** A full garbage collection, then the bytes V8's large-object space holds (Map tables live there). */
function largeObjectBytesAfterGc(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return getHeapSpaceStatistics().find((s) => s.space_name === 'large_object_space')!.space_used_size;
}

describe('LruMap', () => {
  it('forgets the least recently used entry when full; get refreshes, peek does not', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1);
    map.set('c', 3);
    expect([map.peek('a'), map.peek('b'), map.peek('c')]).toEqual([1, undefined, 3]);
    expect(map.peek('a')).toBe(1);
    map.set('d', 4);
    expect([map.peek('a'), map.peek('c'), map.peek('d'), map.size]).toEqual([undefined, 3, 4, 2]);
  });

  it('replaces a value in place, deletes and clears', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('a', 2);
    expect([map.get('a'), map.size]).toEqual([2, 1]);
    map.delete('a');
    expect(map.size).toBe(0);
    map.set('b', 1);
    map.clear();
    expect(map.peek('b')).toBeUndefined();
  });

  it('evicts exactly as a list ordered by last use would, over a long mixed run', () => {
    const map = new LruMap<number, number>(8);
    const model: number[] = []; // keys, least recently used first
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let step = 0; step < 5_000; step++) {
      const key = random(20);
      const at = model.indexOf(key);
      if (random(2) === 0) {
        expect(map.get(key)).toBe(at === -1 ? undefined : key);
        if (at !== -1) model.push(...model.splice(at, 1));
      } else {
        map.set(key, key);
        if (at !== -1) model.splice(at, 1);
        model.push(key);
        if (model.length > 8) model.shift();
      }
    }
    expect(model.map((key) => map.peek(key))).toEqual(model);
    expect(map.size).toBe(model.length);
  });

  it('keeps memory bounded when, after an eviction, it is only read (hits move entries to the tail)', () => {
    // The admission server's image-parser memo: full once, then hit forever. 20,000 keys make
    // V8 tables of over 1 MB, allocated in the large-object space, where they can be counted.
    const max = 20_000;
    const map = new LruMap<string, number>(max);
    const keys = Array.from({ length: max + 1 }, (_, i) => `registry.acme.io/app-${i}:1`);
    for (const [i, key] of keys.entries()) map.set(key, i);
    const before = largeObjectBytesAfterGc();
    for (let round = 0; round < 40; round++) for (const key of keys) map.get(key);
    // 800,000 hits rehash the table about 40 times; each obsolete table must be collectable.
    expect((largeObjectBytesAfterGc() - before) / 2 ** 20).toBeLessThan(8);
    expect(map.size).toBe(max);
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => new LruMap(0)).toThrow(RangeError);
    expect(() => new LruMap(1.5)).toThrow(RangeError);
  });
});
