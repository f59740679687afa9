/**
 * evalVsJsonParse: engine evaluation with a cold result cache of every real-corpus object (one
 * `evaluate` per object, as admission sees them) / `JSON.parse` of the same objects as JSON text.
 * warmVsCold: the same evaluation on an engine that has already seen the corpus / cold.
 * "Cold": the policies are reloaded (untimed) before each timed pass, so every cache lookup misses.
 */
import { interleaveTimes } from '../lib/interleave.mjs';
import { profileEvaluation } from '../lib/profile-scenario.mjs';
import { benchEngine, benchPolicies } from '../lib/pullguard.mjs';
import { loadRealCorpus } from '../lib/real-corpus.mjs';
import { syntheticCorpus } from '../lib/synthetic.mjs';

export const keys = ['evalVsJsonParse', 'warmVsCold'];

export async function evaluateAll(engine, objects) {
  for (const object of objects) await engine.evaluate(object);
}

/**
 * A timing side that evaluates `objects` with a cold result cache: before each (timed) pass the
 * engine reloads its policies, untimed. A reload gives every plan a new identity, so every lookup
 * of the pass misses, exactly as the first evaluations after a start or a policy change.
 * (A fresh engine per pass would do the same, but createEngine costs 100+ ms here.)
 */
export async function coldSide(objects, quick) {
  const engine = await benchEngine();
  const policies = await benchPolicies();
  return {
    before: () => {
      const reloaded = engine.reload(policies);
      if (!reloaded.ok) throw new Error('the bench policy does not reload');
    },
    fn: () => evaluateAll(engine, objects),
    // each pass costs an untimed reload: keep samples short in quick mode
    maxIterations: quick ? 2 : 10,
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
  const secondary = ctx.quick ? {} : await synthetic(ctx);
  return {
    ...secondary,
    ...first,
    warmVsCold: { ...warmVsCold, labels: ['pullguard evaluate, warm', 'pullguard evaluate, cold'], input },
  };
}

/**
 * Full runs only: the same ratio over 2,000 synthetic workloads, one by one, plus the synthetic
 * `kind: List` of 100 as one input (the engine unpacks it).
 */
async function synthetic(ctx) {
  const { objects, list } = syntheticCorpus({ count: 2_000 });
  const inputs = [...objects, list];
  const texts = inputs.map((o) => JSON.stringify(o));
  const result = await interleaveTimes({
    a: await coldSide(inputs, false),
    b: {
      fn: () => {
        for (const text of texts) JSON.parse(text);
      },
    },
    ...ctx.timing,
  });
  return {
    evalVsJsonParseSynthetic: {
      ...result,
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
