/**
 * evalVsJsonParse: engine evaluation with a cold result cache of every real-corpus object (one
 * `evaluate` per object, as admission sees them) / `JSON.parse` of the same objects as JSON text.
 * warmVsCold: the same evaluation on an engine that has already seen the corpus / cold.
 * "Cold": a fresh engine (built untimed, plans prepared) for each timed pass (see coldSide).
 * Full runs add the same ratio with the plans cold too, and over synthetic workloads.
 */
import { interleaveTimes } from '../lib/interleave.mjs';
import { profileEvaluation } from '../lib/profile-scenario.mjs';
import { benchEngine } from '../lib/pullguard.mjs';
import { loadRealCorpus } from '../lib/real-corpus.mjs';
import { syntheticCorpus } from '../lib/synthetic.mjs';

export const keys = ['evalVsJsonParse', 'warmVsCold'];

export async function evaluateAll(engine, objects) {
  for (const object of objects) await engine.evaluate(object);
}

/**
 * A timing side that evaluates `objects` with a cold result cache: a fresh engine for each timed
 * pass, built untimed (createEngine costs 100+ ms here, so samples hold few passes). Its
 * per-namespace plans are then prepared, also untimed, by evaluating a one-container Pod with an
 * image of its own in every namespace of `objects`: the figure is the result cache's, not the
 * plans'. `coldPlans: true` leaves the plans to the timed pass (the first pass of a new engine).
 */
export async function coldSide(objects, quick, { coldPlans = false } = {}) {
  const namespaces = [...new Set(objects.map((o) => o.metadata?.namespace ?? 'default'))];
  const planWarmers = namespaces.map((namespace) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'plan-warmer', namespace },
    spec: { containers: [{ name: 'c', image: 'bench.invalid/plan-warmer:1', imagePullPolicy: 'Always' }] },
  }));
  return {
    setup: () => ({ engine: undefined }),
    before: async (state) => {
      state.engine = await benchEngine();
      if (!coldPlans) await evaluateAll(state.engine, planWarmers);
    },
    fn: (state) => evaluateAll(state.engine, objects),
    maxIterations: quick ? 1 : 4,
  };
}

export async function run(ctx) {
  const objects = loadRealCorpus().objects.map((o) => o.object);
  const texts = objects.map((o) => JSON.stringify(o));
  const cold = await coldSide(objects, ctx.quick);
  const parse = {
    fn: () => {
      for (const text of texts) JSON.parse(text);
    },
  };
  const warmEngine = await benchEngine();
  await evaluateAll(warmEngine, objects);
  const warm = { fn: () => evaluateAll(warmEngine, objects) };

  ctx.log(`  ${objects.length} objects, ${texts.reduce((n, t) => n + t.length, 0)} JSON characters`);
  const input = `${objects.length} real-corpus objects (${loadRealCorpus().files.length} files)`;
  const evalVsJson = await interleaveTimes({ a: cold, b: parse, ...ctx.timing });
  const first = {
    evalVsJsonParse: { ...evalVsJson, labels: ['pullguard evaluate, cold', 'JSON.parse'], input },
  };
  ctx.report?.(first);
  const warmVsCold = await interleaveTimes({
    a: warm,
    b: { ...cold, iterations: evalVsJson.iterations.a },
    ...ctx.timing,
  });
  const secondary = ctx.quick ? {} : await secondaryFigures(ctx, objects, parse, input);
  return {
    ...secondary,
    ...first,
    warmVsCold: { ...warmVsCold, labels: ['pullguard evaluate, warm', 'pullguard evaluate, cold'], input },
  };
}

/**
 * Full runs only: the same ratio with the per-namespace plans cold too (the first pass after a
 * reload), and over 2,000 synthetic workloads plus the synthetic `kind: List` of 100 as one input.
 */
async function secondaryFigures(ctx, objects, parse, input) {
  const coldPlans = await interleaveTimes({
    a: await coldSide(objects, false, { coldPlans: true }),
    b: parse,
    ...ctx.timing,
  });
  const { objects: workloads, list } = syntheticCorpus({ count: 2_000 });
  const inputs = [...workloads, list];
  const texts = inputs.map((o) => JSON.stringify(o));
  const synthetic = await interleaveTimes({
    a: await coldSide(inputs, false),
    b: {
      fn: () => {
        for (const text of texts) JSON.parse(text);
      },
    },
    ...ctx.timing,
  });
  return {
    evalVsJsonParseColdPlans: {
      ...coldPlans,
      title: '`evalVsJsonParse` with the per-namespace plans cold too (first pass after a reload)',
      labels: ['pullguard evaluate, cold cache and plans', 'JSON.parse'],
      input,
    },
    evalVsJsonParseSynthetic: {
      ...synthetic,
      title: '`evalVsJsonParse` over synthetic workloads',
      labels: ['pullguard evaluate, cold', 'JSON.parse'],
      input: '2,000 synthetic workloads (S/M/L, every kind) + a List of 100, one evaluate each',
    },
  };
}

export async function profile(ctx) {
  return {
    evalVsJsonParse: profileEvaluation(ctx.profileDir, 'cold'),
    warmVsCold: profileEvaluation(ctx.profileDir, 'warm'),
  };
}
