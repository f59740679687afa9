/**
 * cacheHitVsMapGet: a result-cache hit (the engine's exported ResultCache, as the evaluator uses
 * it: `get(key, now)` with validity checked against the injected clock) / `Map.get`, with the same
 * keys: one per image of the real corpus, shaped like the evaluator's keys (plan id, admitted flag,
 * container type, then the length-prefixed image and declared pull policy).
 */
import { profileScenario } from '../lib/inspector-profile.mjs';
import { interleaveTimes } from '../lib/interleave.mjs';
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
  return {
    cacheHitVsMapGet: {
      ...timing,
      labels: ['ResultCache.get (hit)', 'Map.get'],
      input: `${keys.length} distinct keys (one per distinct image/pull-policy string of the real corpus)`,
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
