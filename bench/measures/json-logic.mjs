/**
 * jsonLogicNaiveVsPullguard: the bench rules as plain json-logic-js rules applied per container
 * (peers/json-logic-naive.mjs: naive extraction, no parsing, no cache) / pullguard, cold cache,
 * over the real corpus. Reported, with the naive peer's verdict disagreements for information.
 */

import { interleaveTimes } from '../lib/interleave.mjs';
import { profileEvaluation } from '../lib/profile-scenario.mjs';
import { loadRealCorpus } from '../lib/real-corpus.mjs';
import { evaluateNaive, RULES } from '../peers/json-logic-naive.mjs';
import { disagreements } from './cel.mjs';
import { coldSide } from './eval-vs-json.mjs';

export const keys = ['jsonLogicNaiveVsPullguard'];

export async function run(ctx) {
  const real = loadRealCorpus().objects;
  const objects = real.map((o) => o.object);
  const naive = {
    fn: () => {
      for (const object of objects) evaluateNaive(object);
    },
  };
  const timing = await interleaveTimes({ a: naive, b: await coldSide(objects, ctx.quick), ...ctx.timing });
  // full runs: how often the naive rules' verdicts differ (information, not a target)
  const found = ctx.quick ? undefined : await disagreements(real, evaluateNaive, Object.keys(RULES));
  return {
    jsonLogicNaiveVsPullguard: {
      ...timing,
      labels: ['json-logic-js per container', 'pullguard evaluate, cold'],
      input: `${objects.length} real-corpus objects`,
      details: found && { verdictDisagreements: found.length },
    },
  };
}

export async function profile(ctx) {
  return { jsonLogicNaiveVsPullguard: profileEvaluation(ctx.profileDir, 'cold') };
}
