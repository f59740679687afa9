/**
 * What isolating plugin rules in worker threads costs. The same trivial plugin rule
 * (policies/trivial-plugin.mjs), with the bench policy, in two engines: one with the plugin loaded
 * by `loadPlugins` (its calls run in a plugin worker: a structured clone of the facts each way and
 * a message round trip), one with the same module imported and given as an object (in-process).
 *
 * pluginWorkerVsInProcess: result cache off, so every image runs the rule (the cold cost).
 * pluginWorkerVsInProcessWarm: result cache warm, so every image is a cache hit, served on the
 * main thread without touching a worker: the ratio should be ~1.
 * Objects are evaluated one after another (as a server handles one admission request).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { interleaveTimes } from '../lib/interleave.mjs';
import { benchDir } from '../lib/paths.mjs';
import { benchPolicyText, engineModule, policyDocuments, Unavailable } from '../lib/pullguard.mjs';
import { syntheticCorpus } from '../lib/synthetic.mjs';
import { evaluateAll } from './eval-vs-json.mjs';

export const keys = ['pluginWorkerVsInProcess', 'pluginWorkerVsInProcessWarm'];

const PLUGIN = join(benchDir, 'policies', 'trivial-plugin.mjs');

export async function run(ctx) {
  const engine = await engineModule();
  if (typeof engine.loadPlugins !== 'function' || typeof engine.closePlugins !== 'function')
    throw new Unavailable('@pullguard/engine does not export loadPlugins/closePlugins');
  const policy = `${benchPolicyText().trimEnd()}\n    - rule: bench/tag-named-latest\n`;
  const policies = await policyDocuments([{ text: policy, file: 'bench-policy+plugin.yaml' }]);
  const isolated = await engine.loadPlugins([PLUGIN], { workers: 1 });
  const inProcess = [(await import(pathToFileURL(PLUGIN).href)).default];
  const objects = syntheticCorpus({ count: ctx.quick ? 100 : 500 }).objects;
  const make = (plugins, cache) => engine.createEngine({ policies, plugins, cache });
  const side = (e) => ({ fn: () => evaluateAll(e, objects) });
  try {
    const cold = await interleaveTimes({
      a: side(make(isolated, false)),
      b: side(make(inProcess, false)),
      ...ctx.timing,
    });
    const input = `${objects.length} synthetic workloads, the bench policy + 1 trivial plugin rule, one evaluate each`;
    const first = {
      pluginWorkerVsInProcess: {
        ...cold,
        labels: ['plugin rule in a worker', 'the same rule in-process'],
        input: `${input}, cache off`,
      },
    };
    ctx.report?.(first);
    const warmA = make(isolated, {});
    const warmB = make(inProcess, {});
    await evaluateAll(warmA, objects);
    await evaluateAll(warmB, objects);
    const warm = await interleaveTimes({ a: side(warmA), b: side(warmB), ...ctx.timing });
    return {
      ...first,
      pluginWorkerVsInProcessWarm: {
        ...warm,
        labels: ['plugin rule in a worker', 'the same rule in-process'],
        input: `${input}, cache warm (every image a hit)`,
      },
    };
  } finally {
    await engine.closePlugins(isolated);
  }
}
