/**
 * celDisagreements: the bench policy as a ValidatingAdmissionPolicy (peers/pull-policy.vap.yaml,
 * evaluated with @bufbuild/cel) and pullguard with the same rules (policies/bench-policy.yaml): objects where the verdicts (pass/fail) differ, for the whole policy or for any
 * single-rule policy (so that a rule hidden behind another failing rule is still compared), over
 * the real corpus and the synthetic 10,000-workload corpus (quick mode: 1,000).
 */

import { podSpecOf } from '../lib/pod-spec.mjs';
import { benchEngine, reportVerdicts } from '../lib/pullguard.mjs';
import { loadRealCorpus } from '../lib/real-corpus.mjs';
import { syntheticCorpus } from '../lib/synthetic.mjs';
import { compileVap, naiveVapFile } from '../peers/cel.mjs';
import { evaluateNaive, RULES } from '../peers/json-logic-naive.mjs';

export const keys = ['celDisagreements'];

/** Rules the VAP mirrors, in its validations' order. */
export function ruleNames(evaluateCel) {
  return Object.keys(evaluateCel({ apiVersion: 'v1', kind: 'Pod', spec: { containers: [] } }).verdicts);
}

const INVALID_IMAGE = 'invalid-image';

/**
 * The verdict of the policy holding only rule R, for every R, and of the whole policy. pullguard
 * always adds `invalid-image` (the other rules skip an image that does not parse), so "only R"
 * means R plus invalid-image on both sides. An error counts as a rejection (VAP failurePolicy:
 * Fail; a pullguard rule error with action deny blocks).
 */
export function policyVerdicts(verdicts, rules) {
  const fails = (rule) => (verdicts[rule] ?? 'pass') !== 'pass';
  const invalid = fails(INVALID_IMAGE);
  const result = { all: rules.some(fails) ? 'fail' : 'pass' };
  for (const rule of rules) {
    if (rule !== INVALID_IMAGE) result[rule] = invalid || fails(rule) ? 'fail' : 'pass';
  }
  return result;
}

/** Objects whose verdicts (whole policy, or any single-rule policy) differ between a peer and pullguard. */
export async function disagreements(objects, evaluatePeer, rules) {
  const engine = await benchEngine({ cache: false });
  const found = [];
  for (const { object, file } of objects) {
    const peer = evaluatePeer(object).verdicts;
    const ours = reportVerdicts(await engine.evaluateObject(object));
    const a = policyVerdicts(peer, rules);
    const b = policyVerdicts(ours, rules);
    const differing = Object.keys(a).filter((rule) => a[rule] !== b[rule]);
    if (differing.length > 0) found.push({ object, file, differing, peer, ours });
  }
  return found;
}

/** Per rule: how many objects differ, with a few examples (for the first-draft VAP's report). */
function summarizeDisagreements(found) {
  const byRule = {};
  for (const d of found) {
    for (const rule of d.differing) {
      byRule[rule] ??= { objects: 0, examples: [] };
      byRule[rule].objects++;
      const images = imagesOf(d.object).join('; ');
      if (byRule[rule].examples.length < 4 && !byRule[rule].examples.includes(images))
        byRule[rule].examples.push(images);
    }
  }
  return { objects: found.length, byRule };
}

export function imagesOf(object) {
  const spec = podSpecOf(object);
  const containers = ['containers', 'initContainers', 'ephemeralContainers'].flatMap((k) => spec?.[k] ?? []);
  const images = containers.map((c) => `${c.image}${c.imagePullPolicy ? ` (${c.imagePullPolicy})` : ''}`);
  for (const v of spec?.volumes ?? [])
    if (v.image) images.push(`volume ${v.image.reference} (${v.image.pullPolicy ?? ''})`);
  return images;
}

export async function run(ctx) {
  const evaluateCel = compileVap();
  const rules = ruleNames(evaluateCel);
  const real = loadRealCorpus().objects;
  const synthetic = syntheticCorpus({ count: ctx.quick ? 1_000 : 10_000 }).objects.map((object) => ({
    object,
    file: 'synthetic',
  }));
  const all = [...real, ...synthetic];

  const found = await disagreements(all, evaluateCel, rules);
  // Full runs: the first-draft VAP too (it has no invalid-image validation: its rules as written).
  const naive = ctx.quick ? undefined : await disagreements(all, compileVap(naiveVapFile), rules);
  for (const d of found.slice(0, 20)) {
    ctx.log(
      `  CEL disagreement: ${d.file.split('/').pop()} ${d.object.kind}/${d.object.metadata?.name} rules ${d.differing.join(',')} ` +
        `cel=${JSON.stringify(d.peer)} pullguard=${JSON.stringify(d.ours)} images=${JSON.stringify(imagesOf(d.object))}`,
    );
  }

  const verdicts = {
    celDisagreements: {
      value: found.length,
      details: {
        compared: all.length,
        rules,
        examples: found.slice(0, 50).map((d) => ({
          file: d.file.split('/').pop(),
          object: `${d.object.kind}/${d.object.metadata?.name}`,
          rules: d.differing,
          cel: d.peer,
          pullguard: d.ours,
          images: imagesOf(d.object),
        })),
      },
      input: `${real.length} real + ${synthetic.length} synthetic objects`,
      naive: naive && summarizeDisagreements(naive),
    },
  };
  if (ctx.quick) return verdicts;
  // full runs: how often the naive JSON Logic rules' verdicts differ (information, not a target)
  const naiveJsonLogic = await disagreements(real, evaluateNaive, Object.keys(RULES));
  return {
    ...verdicts,
    jsonLogicNaiveDisagreements: {
      value: naiveJsonLogic.length,
      title: 'objects where the naive JSON Logic rules and pullguard disagree (information)',
      input: `${real.length} real-corpus objects`,
      note: 'substring checks cannot tell ports from tags or expand docker.io short names',
    },
  };
}
