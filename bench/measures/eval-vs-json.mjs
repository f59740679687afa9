/**
 * evalVsJsonParse: engine evaluation with a cold result cache of every real-corpus object (one
 * `evaluate` per object, as admission sees them) / `JSON.parse` of the same objects as JSON text.
 * warmVsCold: the same evaluation on an engine that has already seen the corpus / cold.
 * "Cold" means a fresh engine (built untimed) per timed pass, so every rule result is a miss.
 */
import { interleaveTimes } from '../lib/interleave.mjs';
import { benchEngine } from '../lib/pullguard.mjs';
import { loadRealCorpus } from '../lib/real-corpus.mjs';

export const keys = ['evalVsJsonParse', 'warmVsCold'];

export async function evaluateAll(engine, objects) {
  for (const object of objects) await engine.evaluate(object);
}

/** A timing side that evaluates `objects` on a fresh engine per iteration (cold cache). */
export function coldSide(objects) {
  return {
    setup: async (iterations) => Promise.all(Array.from({ length: iterations }, () => benchEngine())),
    fn: (engines, i) => evaluateAll(engines[i], objects),
    // each iteration needs its own engine; keep the number built per sample bounded
    maxIterations: 200,
  };
}

export async function run(ctx) {
  const objects = loadRealCorpus().objects.map((o) => o.object);
  const texts = objects.map((o) => JSON.stringify(o));
  const cold = coldSide(objects);
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
  const warmVsCold = await interleaveTimes({ a: warm, b: cold, ...ctx.timing });
  const input = `${objects.length} real-corpus objects (${loadRealCorpus().files.length} files)`;
  return {
    evalVsJsonParse: { ...evalVsJson, labels: ['pullguard evaluate, cold', 'JSON.parse'], input },
    warmVsCold: { ...warmVsCold, labels: ['pullguard evaluate, warm', 'pullguard evaluate, cold'], input },
  };
}
