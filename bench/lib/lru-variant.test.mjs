import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { lruProcessArgs } from './lru-variant.mjs';
import { benchDir } from './paths.mjs';

/**
 * Which of `c` and `d` a ResultCache of 4 still holds after a sequence that an exact LRU (lru-cache)
 * and LruMap (a hit moves an entry only `max / 2` stores after its last move) end differently.
 */
const SEQUENCE = `
const held = (ResultCache) => {
  const cache = new ResultCache({ max: 4 });
  for (const key of ['a', 'b', 'c', 'd']) cache.set(key, { key }, 0, undefined);
  for (const key of ['d', 'c', 'b']) cache.get(key, 0);
  for (const key of ['e', 'f']) cache.set(key, { key }, 0, undefined);
  return ['c', 'd'].filter((key) => cache.get(key, 0) !== undefined);
};
const built = await import(new URL('./evaluate/result-cache.js', import.meta.resolve('@pullguard/engine')));
`;

/** Runs `script` (after SEQUENCE) in a Node process of the bench with `args`; its last line is JSON. */
function inNode(args, script) {
  const out = execFileSync(process.execPath, [...args, '--input-type=module', '-e', SEQUENCE + script], {
    cwd: benchDir,
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop());
}

// The built engine (dist/) is what the bench measures; turbo builds it before the tests.
describe('--compare-lru', () => {
  it('measures lru-cache where it swaps: a second ResultCache in the process, the built one unchanged', () => {
    const held = inNode(
      [],
      `const { resultCacheOverLruCache } = await import('./lib/lru-variant.mjs');
console.log(JSON.stringify({ built: held(built.ResultCache), lruCache: held(await resultCacheOverLruCache()) }));`,
    );
    expect(held).toEqual({ built: ['d'], lruCache: ['c'] });
  });

  it('swaps the whole engine of a process on the lru-cache side only', () => {
    const script = 'console.log(JSON.stringify(held(built.ResultCache)));';
    expect(inNode(lruProcessArgs(true), script)).toEqual(['c']);
    expect(inNode(lruProcessArgs(false), script)).toEqual(['d']);
  });
});
