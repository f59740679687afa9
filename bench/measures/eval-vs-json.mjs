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
    maxIterations: quick ? 3 : 10,
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
  const evalVsJson = await interleaveTimes({ a: cold, b: parse, ...ctx.timing });
  const warmVsCold = await interleaveTimes({
    a: warm,
    b: { ...cold, iterations: evalVsJson.iterations.a },
    ...ctx.timing,
  });
  const input = `${objects.length} real-corpus objects (${loadRealCorpus().files.length} files)`;
  return {
    evalVsJsonParse: { ...evalVsJson, labels: ['pullguard evaluate, cold', 'JSON.parse'], input },
    warmVsCold: { ...warmVsCold, labels: ['pullguard evaluate, warm', 'pullguard evaluate, cold'], input },
  };
}

export async function profile(ctx) {
  return {
    evalVsJsonParse: profileEvaluation(ctx.profileDir, 'cold'),
    warmVsCold: profileEvaluation(ctx.profileDir, 'warm'),
  };
}
