import { describe, expect, it } from 'vitest';
import { imageNames, megabytesRetainedBy } from './__fixtures__/retained-heap.js';
import { LruMap } from './lru-map.js';

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

  it('moves a hit entry only once max/2 stores have passed since it was last moved', () => {
    const map = new LruMap<string, number>(4);
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) map.set(key, i);
    map.get('a'); // 3 stores since 'a' was stored: moved behind 'd'
    map.get('d'); // stored by the last store: stays where it is
    map.set('e', 4);
    map.set('f', 5);
    expect(['a', 'b', 'c', 'd'].map((key) => map.peek(key) !== undefined)).toEqual([
      true,
      false,
      false,
      true,
    ]);
    map.set('g', 6); // 'd' kept its place when hit, so it goes first: 2 (max/2) stores after its hit
    expect(['a', 'd', 'e', 'f', 'g'].map((key) => map.peek(key) !== undefined)).toEqual([
      true,
      false,
      true,
      true,
      true,
    ]);
  });

  it('evicts as a list ordered by last move would, over a long mixed run', () => {
    const max = 8;
    const map = new LruMap<number, number>(max);
    const model: { key: number; stamp: number }[] = []; // least recently moved first
    let stores = 0;
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let step = 0; step < 5_000; step++) {
      const key = random(20);
      const at = model.findIndex((e) => e.key === key);
      if (random(2) === 0) {
        expect(map.get(key)).toBe(at === -1 ? undefined : key);
        if (at !== -1 && stores - model[at]!.stamp >= max / 2) {
          model.splice(at, 1);
          model.push({ key, stamp: stores });
        }
      } else {
        map.set(key, key);
        if (at !== -1) model.splice(at, 1);
        model.push({ key, stamp: ++stores });
        if (model.length > max) model.shift();
      }
    }
    expect(model.map((e) => map.peek(e.key))).toEqual(model.map((e) => e.key));
    expect(map.size).toBe(model.length);
  });

  it('holds no more memory than its entries need, however often they are stored again', () => {
    // A memo that evicted once and is then only stored into again (or hit): 20,000 entries make
    // tables of a megabyte, and 800,000 re-stores would rebuild them about 40 times.
    const max = 20_000;
    const map = new LruMap<string, number>(max);
    const keys = imageNames(max + 1);
    for (const [i, key] of keys.entries()) map.set(key, i);
    const kept = keys.slice(1);
    const retained = megabytesRetainedBy(() => {
      for (let round = 0; round < 40; round++) for (const key of kept) map.set(key, round);
    });
    expect(retained).toBeLessThan(4);
    expect(map.size).toBe(max);
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => new LruMap(0)).toThrow(RangeError);
    expect(() => new LruMap(1.5)).toThrow(RangeError);
  });
});
