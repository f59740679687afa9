/**
 * One sample of the evaluation figures, in a fresh process with ONE engine, as a server has: its
 * code is first made hot on other data (synthetic workloads in other namespaces, and the other kinds
 * of objects and image forms real repositories hold: lib/companions.mjs), the plans of the
 * corpus's namespaces are prepared, and then the engine meets the real corpus for the first time:
 * every result-cache lookup of that pass misses (cold), and the passes after it hit (warm).
 * Around those: JSON.parse of the same objects, the CEL peer and the naive JSON Logic peer.
 *
 * Why a process per sample: a cold cache needs an engine that has not seen the corpus, and every
 * new engine in a process brings new closures into the same hot functions; after a few of them
 * V8's inline caches go polymorphic and both paths run slower than in a real process (which
 * builds one engine, or reloads rarely). One engine per process keeps the code as users run it.
 *
 * IPC in: { objects, flip, full } ; out: ms per pass, and the cache's hits/misses in the cold pass.
 */

import { companionObjects } from '../lib/companions.mjs';
import { benchEngine } from '../lib/pullguard.mjs';
import { median } from '../lib/stats.mjs';
import { syntheticCorpus } from '../lib/synthetic.mjs';
import { evaluateAll } from '../measures/eval-vs-json.mjs';
import { compileVap } from '../peers/cel.mjs';
import { evaluateNaive } from '../peers/json-logic-naive.mjs';

const now = () => performance.now();
const gc = () => globalThis.gc?.();

/** Median ms of `times` runs of `fn` (each after a GC). */
async function timeMedian(fn, times) {
  const samples = [];
  for (let i = 0; i < times; i++) {
    gc();
    const start = now();
    await fn();
    samples.push(now() - start);
  }
  return median(samples);
}

/** A one-container Pod per namespace, with an image of its own: prepares the plans, not the corpus's cache entries. */
function planWarmers(objects) {
  const namespaces = [...new Set(objects.map((o) => o.metadata?.namespace ?? 'default'))];
  return namespaces.map((namespace) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'plan-warmer', namespace },
    spec: { containers: [{ name: 'c', image: 'bench.invalid/plan-warmer:1', imagePullPolicy: 'Always' }] },
  }));
}

/** The engine's first pass over `objects` (their namespaces' plans prepared first), with the cache's misses and hits. */
async function coldPass(engine, objects) {
  await evaluateAll(engine, planWarmers(objects));
  const before = engine.cacheStats();
  gc();
  const start = now();
  await evaluateAll(engine, objects);
  const ms = now() - start;
  const after = engine.cacheStats();
  return { ms, misses: after.misses - before.misses, hits: after.hits - before.hits };
}

/** a0 b0 a1 b1 …, then the rest of the longer list. */
function interleave(a, b) {
  const out = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) out.push(a[i]);
    if (i < b.length) out.push(b[i]);
  }
  return out;
}

process.once('message', async ({ objects, flip, full }) => {
  const texts = objects.map((o) => JSON.stringify(o));
  const parse = () => {
    for (const text of texts) JSON.parse(text);
  };
  const evaluateCel = compileVap();
  const cel = () => {
    for (const object of objects) evaluateCel(object);
  };
  const jsonLogic = () => {
    for (const object of objects) evaluateNaive(object);
  };

  // Make every code path hot on other data: engine (misses and hits), peers, JSON.parse. The data
  // has the variety of real repositories (lib/companions.mjs), none of the corpus's images.
  const generated = syntheticCorpus({ count: 400, seed: 0xbeef, namespaces: 10 }).objects;
  for (const object of generated) object.metadata.namespace = `warm-${object.metadata.namespace}`;
  // As the measured objects (and admission bodies) are: decoded by JSON.parse. V8 compiles string
  // comparisons for the kind of strings it has seen; literals are internalized, JSON values are not.
  // Interleaved: V8 optimizes a function with the feedback it has by then, so every kind of object
  // and image must come early, not after 400 workloads.
  const workloads = JSON.parse(JSON.stringify(interleave(generated, companionObjects())));
  const engine = await benchEngine();
  for (let i = 0; i < 6; i++) {
    await evaluateAll(engine, workloads);
    for (const object of workloads) evaluateCel(object);
    for (const object of workloads) evaluateNaive(object);
    for (const object of workloads) JSON.parse(JSON.stringify(object));
  }

  const result = {};
  if (flip) result.parse = await timeMedian(parse, 5);
  const cold = await coldPass(engine, objects);
  result.cold = cold.ms;
  result.coldCache = { misses: cold.misses, hits: cold.hits };
  result.warm = await timeMedian(() => evaluateAll(engine, objects), 7);
  if (!flip) result.parse = await timeMedian(parse, 5);
  result.cel = await timeMedian(cel, 3);
  result.jsonLogic = await timeMedian(jsonLogic, 5);

  if (full) {
    // synthetic workloads (and a List of 100) the engine has not seen: most of their images are new
    const { objects: generated, list } = syntheticCorpus({ count: 2_000 });
    const synthetic = [...generated, list];
    const syntheticTexts = synthetic.map((o) => JSON.stringify(o));
    const syntheticCold = await coldPass(engine, synthetic);
    result.syntheticCold = syntheticCold.ms;
    result.syntheticCache = { misses: syntheticCold.misses, hits: syntheticCold.hits };
    result.syntheticParse = await timeMedian(() => {
      for (const text of syntheticTexts) JSON.parse(text);
    }, 3);
  }
  process.send(result, () => process.exit(0));
});
