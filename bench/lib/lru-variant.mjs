/**
 * `--compare-lru`: the engine with lru-cache 11 in place of its own `LruMap`, measured against the
 * engine as built, in the same run (bench/NOTES.md records the figures and the decision).
 *
 * The swap is a module resolution hook (lib/lru-variant-hooks.mjs), so both sides run the same
 * build. Node 20 runs such hooks on a thread of their own, which costs memory: a process that is
 * compared with a swapped one registers the same hooks with nothing swapped (`lruProcessArgs`), so
 * that both carry that thread.
 */
import { register } from 'node:module';
import { VARIANT_QUERY } from './lru-variant-hooks.mjs';

/** Registers the hooks in this process: `everywhere`, or only for `?lru=lru-cache` imports. */
export function registerLruHooks({ everywhere }) {
  register('./lru-variant-hooks.mjs', import.meta.url, { data: { everywhere } });
}

/** Node options for a process on the given side of a comparison (both sides carry the hooks). */
export function lruProcessArgs(lruCache) {
  return [
    '--import',
    new URL(lruCache ? './lru-hooks-swap.mjs' : './lru-hooks-keep.mjs', import.meta.url).href,
  ];
}

/** A second instance of the engine's ResultCache, over lru-cache (the usual one stays as built). */
export async function resultCacheOverLruCache() {
  registerLruHooks({ everywhere: false });
  const resultCache = new URL('./evaluate/result-cache.js', import.meta.resolve('@pullguard/engine'));
  const module = await import(resultCache.href + VARIANT_QUERY);
  return module.ResultCache;
}
