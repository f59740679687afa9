/**
 * The evaluation figures, all from the same samples (load/evaluation-sample.mjs, one fresh
 * process per sample, so each cold pass runs on a new engine with hot code — see that file):
 * - evalVsJsonParse: the engine's first evaluation of every real-corpus object (cold result cache,
 *   hot code, plans prepared), one `evaluate` per object as admission sees them / `JSON.parse` of
 *   the same objects as JSON text;
 * - warmVsCold: the same evaluation again on that engine (warm cache) / cold;
 * - celVsPullguard: the bench policy as a ValidatingAdmissionPolicy, CEL planned once / pullguard cold;
 * - jsonLogicNaiveVsPullguard: the naive per-container JSON Logic rules / pullguard cold.
 * The order of the cold pass and JSON.parse flips every sample. Full runs add the same ratio over
 * a synthetic corpus (2,000 workloads and a List of 100) as a secondary figure.
 * --compare-lru: each sample is paired with one of the engine over lru-cache (lib/lru-variant.mjs),
 * the two processes in alternating order; secondary figures compare the two passes by pass.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { track } from '../lib/children.mjs';
import { lruProcessArgs } from '../lib/lru-variant.mjs';
import { benchDir } from '../lib/paths.mjs';
import { profileEvaluation } from '../lib/profile-scenario.mjs';
import { loadRealCorpus } from '../lib/real-corpus.mjs';
import { summarize } from '../lib/stats.mjs';

export const keys = ['evalVsJsonParse', 'warmVsCold', 'celVsPullguard', 'jsonLogicNaiveVsPullguard'];

export async function evaluateAll(engine, objects) {
  for (const object of objects) await engine.evaluateObject(object);
}

/** `lru`: undefined as built; with --compare-lru, false or true for the side of the comparison. */
function sample(objects, flip, full, lru) {
  return new Promise((resolve, reject) => {
    const child = track(
      fork(join(benchDir, 'load', 'evaluation-sample.mjs'), [], {
        execArgv: ['--expose-gc', ...(lru === undefined ? [] : lruProcessArgs(lru))],
        stdio: ['ignore', 2, 2, 'ipc'],
      }),
    );
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`evaluation sample exited (${code}) without a result`)));
    child.send({ objects, flip, full });
  });
}

/** A figure in the harness's pair format: A and B per sample, and their ratio. */
function figure(samples, a, b, labels, input, extra = {}) {
  const as = samples.map((s) => s[a]);
  const bs = samples.map((s) => s[b]);
  return {
    pairs: samples.length,
    a: summarize(as),
    b: summarize(bs),
    ratio: summarize(as.map((x, i) => x / bs[i])),
    unit: 'ms/pass',
    labels,
    input,
    ...extra,
  };
}

function figures(samples, input) {
  const cold = 'pullguard evaluate, cold';
  const result = {
    evalVsJsonParse: figure(samples, 'cold', 'parse', [cold, 'JSON.parse'], input),
    warmVsCold: figure(samples, 'warm', 'cold', ['pullguard evaluate, warm', cold], input),
    celVsPullguard: figure(samples, 'cel', 'cold', ['@bufbuild/cel VAP, planned once', cold], input),
    jsonLogicNaiveVsPullguard: figure(
      samples,
      'jsonLogic',
      'cold',
      ['json-logic-js per container', cold],
      input,
    ),
  };
  const cache = samples[0]?.coldCache;
  if (cache)
    result.evalVsJsonParse.input += `; the cold pass: ${cache.misses} cache misses, ${cache.hits} hits (repeated images)`;
  if (samples[0]?.syntheticCold !== undefined) {
    const { misses, hits } = samples[0].syntheticCache;
    result.evalVsJsonParseSynthetic = figure(
      samples,
      'syntheticCold',
      'syntheticParse',
      [cold, 'JSON.parse'],
      `2,000 synthetic workloads (S/M/L, every kind) + a List of 100, one evaluate each, after the real corpus; cold pass: ${misses} misses, ${hits} hits`,
      { title: '`evalVsJsonParse` over synthetic workloads' },
    );
  }
  return result;
}

export async function run(ctx) {
  const { objects: entries, files } = loadRealCorpus();
  const objects = entries.map((o) => o.object);
  const input = `${objects.length} real-corpus objects (${files.length} files), a new process per sample`;
  const samples = [];
  const lruSamples = [];
  const all = () =>
    ctx.compareLru
      ? { ...figures(samples, input), ...lruFigures(samples, lruSamples, input) }
      : figures(samples, input);
  for (let i = 0; i < ctx.timing.pairs; i++) {
    if (i >= 5 && Date.now() > ctx.timing.deadline) break;
    const flip = i % 2 === 1;
    if (!ctx.compareLru) samples.push(await sample(objects, flip, !ctx.quick));
    else if (flip) {
      lruSamples.push(await sample(objects, flip, !ctx.quick, true));
      samples.push(await sample(objects, flip, !ctx.quick, false));
    } else {
      samples.push(await sample(objects, flip, !ctx.quick, false));
      lruSamples.push(await sample(objects, flip, !ctx.quick, true));
    }
    if (samples.length === 5) ctx.report?.(all());
  }
  return all();
}

/** --compare-lru: the samples over lru-cache, alone and against their pair over LruMap. */
function lruFigures(samples, lruSamples, input) {
  const paired = samples.map((s, i) => ({
    cold: s.cold,
    warm: s.warm,
    lruCold: lruSamples[i].cold,
    lruWarm: lruSamples[i].warm,
  }));
  const title = (text) => `--compare-lru: ${text}`;
  const pairInput = `${input}; each pair: a process over LruMap and one over lru-cache, in alternating order`;
  return {
    evalVsJsonParseLruCache: figure(
      lruSamples,
      'cold',
      'parse',
      ['over lru-cache, cold', 'JSON.parse'],
      input,
      {
        title: title('`evalVsJsonParse` with lru-cache'),
      },
    ),
    evalColdLruCacheVsLruMap: figure(
      paired,
      'lruCold',
      'cold',
      ['over lru-cache', 'over LruMap'],
      pairInput,
      {
        title: title('the cold pass, lru-cache / LruMap'),
      },
    ),
    evalWarmLruCacheVsLruMap: figure(
      paired,
      'lruWarm',
      'warm',
      ['over lru-cache', 'over LruMap'],
      pairInput,
      {
        title: title('the warm pass, lru-cache / LruMap'),
      },
    ),
  };
}

export async function profile(ctx) {
  const cold = profileEvaluation(ctx.profileDir, 'cold');
  return {
    evalVsJsonParse: cold,
    warmVsCold: profileEvaluation(ctx.profileDir, 'warm'),
    celVsPullguard: cold,
    jsonLogicNaiveVsPullguard: cold,
  };
}
