/**
 * cacheHitVsMapGet: a result-cache hit (the engine's exported ResultCache, as the evaluator uses
 * it: `get(key, now)` with validity checked against the injected clock) / `Map.get`, with the same
 * keys: one per image of the real corpus, shaped like the evaluator's keys (plan id, admitted flag,
 * container type, then the length-prefixed image and declared pull policy).
 */
import { profileScenario } from '../lib/inspector-profile.mjs';
import { interleaveTimes } from '../lib/interleave.mjs';
import { resultCacheOverLruCache } from '../lib/lru-variant.mjs';
import { Unavailable } from '../lib/pullguard.mjs';
import { loadRealCorpus } from '../lib/real-corpus.mjs';
import { imagesOf } from './cel.mjs';

export const keys = ['cacheHitVsMapGet'];

const field = (value) => `${value.length}:${value}`;

export function cacheKeys() {
  const images = loadRealCorpus().objects.flatMap((o) => imagesOf(o.object));
  return [...new Set(images)].map((image) => `p0:Scontainer|${field(image)}${field('')}u`);
}

export async function run(ctx) {
  const { ResultCache } = await import('@pullguard/engine/internals');
  if (typeof ResultCache !== 'function')
    throw new Unavailable('@pullguard/engine/internals does not export ResultCache');
  const keys = cacheKeys();
  const now = Date.UTC(2026, 10, 25);
  const cache = new ResultCache({});
  const map = new Map();
  for (const key of keys) {
    const value = { hits: [], key };
    cache.set(key, value, now, undefined);
    map.set(key, value);
  }
  let sink = 0;
  const hits = {
    fn: () => {
      for (let i = 0; i < keys.length; i++) if (cache.get(keys[i], now) !== undefined) sink++;
    },
  };
  const gets = {
    fn: () => {
      for (let i = 0; i < keys.length; i++) if (map.get(keys[i]) !== undefined) sink++;
    },
  };
  const timing = await interleaveTimes({ a: hits, b: gets, ...ctx.timing });
  if (sink === 0) throw new Error('no hits: the cache measurement is broken');
  const input = `${keys.length} distinct keys (one per distinct image/pull-policy string of the real corpus)`;
  const result = {
    cacheHitVsMapGet: { ...timing, labels: ['ResultCache.get (hit)', 'Map.get'], input },
  };
  if (ctx.compareLru) Object.assign(result, await compareLru(ResultCache, keys, map, now, input, ctx));
  return result;
}

/**
 * --compare-lru: the same hits on a ResultCache over lru-cache (against `Map.get`, and against the
 * ResultCache as built), hits by the numeric keys the evaluator makes in the common case
 * (cache-key.ts), and stores into a full cache (each one evicts), as a cold pass makes them.
 * Every side has its own loop, so that each call site sees one class.
 */
async function compareLru(ResultCache, keys, map, now, input, ctx) {
  const LruCacheResultCache = await resultCacheOverLruCache();
  const filled = (Cache, entries, options = {}) => {
    const cache = new Cache(options);
    for (const key of entries) cache.set(key, { key }, now, undefined);
    return cache;
  };
  let sink = 0;
  const side = (fn) => ({ fn });
  const ours = filled(ResultCache, keys);
  const theirs = filled(LruCacheResultCache, keys);
  const theirsHits = side(() => {
    for (let i = 0; i < keys.length; i++) if (theirs.get(keys[i], now) !== undefined) sink++;
  });
  const vsMap = await interleaveTimes({
    a: theirsHits,
    b: side(() => {
      for (let i = 0; i < keys.length; i++) if (map.get(keys[i]) !== undefined) sink++;
    }),
    ...ctx.timing,
  });
  const hits = await interleaveTimes({
    a: theirsHits,
    b: side(() => {
      for (let i = 0; i < keys.length; i++) if (ours.get(keys[i], now) !== undefined) sink++;
    }),
    ...ctx.timing,
  });
  // (image id + 2^10) × 2^21 + plan serial × 2^6 + small facts: cache-key.ts's packing
  const numeric = keys.map((_, i) => (i + 1024) * 2 ** 21 + 3 * 64 + 9);
  const oursNumeric = filled(ResultCache, numeric);
  const theirsNumeric = filled(LruCacheResultCache, numeric);
  const numericHits = await interleaveTimes({
    a: side(() => {
      for (let i = 0; i < numeric.length; i++) if (theirsNumeric.get(numeric[i], now) !== undefined) sink++;
    }),
    b: side(() => {
      for (let i = 0; i < numeric.length; i++) if (oursNumeric.get(numeric[i], now) !== undefined) sink++;
    }),
    ...ctx.timing,
  });
  // A full cache of 10,000 entries (the server's), stored into with keys it does not hold: 20,000
  // numeric keys in turn, 1,000 stores per iteration, every store an eviction.
  const max = 10_000;
  const stream = Array.from({ length: 2 * max }, (_, i) => (i + 1024) * 2 ** 21 + 9);
  const churning = (Cache) => {
    const cache = filled(Cache, stream.slice(max), { max });
    return { cache, next: 0 };
  };
  const oursChurn = churning(ResultCache);
  const theirsChurn = churning(LruCacheResultCache);
  const churn = await interleaveTimes({
    a: side(() => {
      for (let n = 0; n < 1_000; n++) {
        const key = stream[theirsChurn.next];
        theirsChurn.cache.set(key, { key }, now, undefined);
        theirsChurn.next = (theirsChurn.next + 1) % stream.length;
      }
    }),
    b: side(() => {
      for (let n = 0; n < 1_000; n++) {
        const key = stream[oursChurn.next];
        oursChurn.cache.set(key, { key }, now, undefined);
        oursChurn.next = (oursChurn.next + 1) % stream.length;
      }
    }),
    ...ctx.timing,
  });
  if (sink === 0) throw new Error('no hits: the lru-cache comparison is broken');
  for (const { cache } of [oursChurn, theirsChurn])
    if (cache.stats().size !== max) throw new Error(`the churned cache holds ${cache.stats().size} entries`);
  const title = (text) => `--compare-lru: ${text}`;
  return {
    cacheHitVsMapGetLruCache: {
      ...vsMap,
      title: title('`cacheHitVsMapGet` with lru-cache'),
      labels: ['ResultCache.get over lru-cache (hit)', 'Map.get'],
      input,
    },
    cacheHitLruCacheVsLruMap: {
      ...hits,
      title: title('a hit, lru-cache / LruMap'),
      labels: ['ResultCache.get over lru-cache (hit)', 'ResultCache.get over LruMap (hit)'],
      input,
    },
    cacheHitNumericLruCacheVsLruMap: {
      ...numericHits,
      title: title('a hit by a numeric key, lru-cache / LruMap'),
      labels: ['over lru-cache', 'over LruMap'],
      input: `${numeric.length} numeric keys packed as cache-key.ts packs them`,
    },
    cacheStoreEvictLruCacheVsLruMap: {
      ...churn,
      title: title('1,000 stores into a full cache (each evicts), lru-cache / LruMap'),
      labels: ['over lru-cache', 'over LruMap'],
      input: `max ${max}, ${stream.length} numeric keys stored in turn`,
    },
  };
}

export async function profile(ctx) {
  const file = await profileScenario(ctx.profileDir, 'cache', async () => {
    const end = Date.now() + 5_000;
    while (Date.now() < end) await run({ ...ctx, timing: { pairs: 1, sampleMs: 200, warmupMs: 50 } });
  });
  return {
    cacheHitVsMapGet: {
      value: 1,
      profileFile: file,
      scenario: 'ResultCache.get hits over the corpus keys (and Map.get)',
    },
  };
}
