/**
 * Interleaved A/B measurement: the only kind of figure this harness reports. The machine is shared
 * and noisy, so absolute times mean little; a ratio of A to B measured in alternating samples
 * (A B, B A, A B, …: the order flips every pair so neither side always runs right after the other's
 * garbage) cancels most of the drift. Each pair gives one ratio; we report the median and min–max.
 */
import { summarize } from './stats.mjs';

const now = () => Number(process.hrtime.bigint()) / 1e6;

function collectGarbage() {
  // Present when node runs with --expose-gc, as the runner starts every measurement process.
  globalThis.gc?.();
}

/**
 * Runs `measureA` and `measureB` alternately `pairs` times; each returns one number (a time, a
 * rate, a latency). Returns per-side summaries and the summary of the per-pair ratios A/B.
 */
export async function interleavePairs({ pairs, measureA, measureB, deadline }) {
  const a = [];
  const b = [];
  const ratios = [];
  for (let pair = 0; pair < pairs; pair++) {
    // At least 5 pairs are required; past that, stop early when the time budget runs out.
    if (pair >= 5 && deadline !== undefined && now() > deadline) break;
    let valueA;
    let valueB;
    if (pair % 2 === 0) {
      valueA = await measureA(pair);
      valueB = await measureB(pair);
    } else {
      valueB = await measureB(pair);
      valueA = await measureA(pair);
    }
    a.push(valueA);
    b.push(valueB);
    ratios.push(valueA / valueB);
  }
  return { pairs: ratios.length, a: summarize(a), b: summarize(b), ratio: summarize(ratios) };
}

/** Times one side: `fn()` `iterations` times after a GC; returns ms per iteration. */
async function timeSamples(side, iterations) {
  collectGarbage();
  const start = now();
  for (let i = 0; i < iterations; i++) await side.fn();
  return (now() - start) / iterations;
}

/** How many iterations make one sample last about `sampleMs` (measured after a JIT warm-up of ~`warmupMs`). */
async function calibrate(side, sampleMs, warmupMs) {
  let perIteration = await timeSamples(side, 1);
  const warmupEnd = now() + warmupMs;
  while (now() < warmupEnd) {
    perIteration = await timeSamples(
      side,
      Math.max(1, Math.ceil(warmupMs / 3 / Math.max(perIteration, 1e-4))),
    );
  }
  return Math.max(1, Math.round(sampleMs / Math.max(perIteration, 1e-4)));
}

/**
 * Interleaved timing of two code paths in this process (`a`, `b`: `{ fn() }`). Each sample lasts
 * about `sampleMs`; ratio = time A / time B per iteration.
 */
export async function interleaveTimes({ a, b, pairs = 5, sampleMs = 100, warmupMs = 50, deadline }) {
  const iterationsA = await calibrate(a, sampleMs, warmupMs);
  const iterationsB = await calibrate(b, sampleMs, warmupMs);
  const result = await interleavePairs({
    pairs,
    deadline,
    measureA: () => timeSamples(a, iterationsA),
    measureB: () => timeSamples(b, iterationsB),
  });
  return { ...result, iterations: { a: iterationsA, b: iterationsB }, unit: 'ms/iteration' };
}
