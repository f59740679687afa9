/**
 * namespaceScaling: evaluation cost with 10,000 namespace policies loaded (a base policy with the
 * bench rules and one `extends: [base]` policy per team namespace, the layout a platform team uses)
 * / with the bench policy alone. allowlistScaling: the bench policy with 1,000 registry patterns /
 * with 10. Both evaluate synthetic workloads spread over 100 namespaces, result cache off (so the
 * rules and the plan lookup run every time; the cache would hide both).
 */
import { profileScenario } from '../lib/inspector-profile.mjs';
import { interleaveTimes } from '../lib/interleave.mjs';
import { benchEngine, benchPolicyText, policyDocuments, reportVerdicts } from '../lib/pullguard.mjs';
import { syntheticCorpus } from '../lib/synthetic.mjs';
import { evaluateAll } from './eval-vs-json.mjs';

export const keys = ['namespaceScaling', 'allowlistScaling'];

const BENCH_ALLOWLIST = /( {10}- .*\n)+/;
const BENCH_NAMESPACES = /^ {2}namespaces: .*$/m;

/** The bench policy as a base that governs no namespace by itself, and `count` team policies extending it. */
export function namespacePolicies(count) {
  const bench = benchPolicyText();
  if (!BENCH_NAMESPACES.test(bench))
    throw new Error('bench-policy.yaml has no `namespaces:` line to replace');
  const base = bench.replace('name: bench', 'name: bench-base').replace(BENCH_NAMESPACES, '  namespaces: []');
  const teams = Array.from(
    { length: count },
    (_, i) =>
      `apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata:\n  name: team-${i}\nspec:\n  namespaces: [team-${i}]\n  extends: [bench-base]\n  action: deny\n`,
  );
  return [base, ...teams].join('---\n');
}

/** The bench allowlist padded to `count` patterns with host prefixes, path prefixes and exact names. */
export function allowlistPolicy(count) {
  const text = benchPolicyText();
  const current = text.match(BENCH_ALLOWLIST)[0];
  const patterns = current.trimEnd().split('\n');
  for (let i = 0; patterns.length < count; i++) {
    const kind = i % 3;
    const pattern =
      kind === 0
        ? `registry-${i}.corp.example/`
        : kind === 1
          ? `ghcr.io/team-${i}/`
          : `docker.io/vendor-${i}/app`;
    patterns.push(`          - ${pattern}`);
  }
  return text.replace(BENCH_ALLOWLIST, `${patterns.join('\n')}\n`);
}

async function engineFor(text, file) {
  const policies = await policyDocuments([{ text, file }]);
  const started = performance.now();
  const engine = await benchEngine({ policies, cache: false });
  return { engine, compileMs: performance.now() - started, policies: policies.length };
}

/**
 * Both sides must do the same evaluation: the same findings for every object (only the policy
 * name differs). A base policy that also governed the team namespaces would run every rule twice.
 */
async function assertSameEvaluation(many, one, objects) {
  for (const object of objects) {
    const [a, b] = [await many.evaluateObject(object), await one.evaluateObject(object)];
    const same =
      a.findings.length === b.findings.length &&
      JSON.stringify(reportVerdicts(a)) === JSON.stringify(reportVerdicts(b));
    if (!same) {
      throw new Error(
        `the 10,001-policy engine and the 1-policy engine disagree on ${object.metadata?.namespace}/${object.metadata?.name} (${a.findings.length} vs ${b.findings.length} findings)`,
      );
    }
  }
}

export async function run(ctx) {
  const objects = syntheticCorpus({ count: ctx.quick ? 150 : 1_000 }).objects;
  const side = (engine) => ({ fn: () => evaluateAll(engine, objects) });

  const many = await engineFor(namespacePolicies(10_000), 'namespaces-10000.yaml');
  const one = await engineFor(benchPolicyText(), 'bench-policy.yaml');
  await assertSameEvaluation(many.engine, one.engine, objects);
  ctx.log(`  compiled ${many.policies} policies in ${Math.round(many.compileMs)} ms`);
  const namespaces = await interleaveTimes({ a: side(many.engine), b: side(one.engine), ...ctx.timing });
  const input = `${objects.length} synthetic workloads over 100 namespaces, cache off`;
  const first = {
    namespaceScaling: {
      ...namespaces,
      labels: ['10,001 policies (base + 10,000 team policies)', '1 policy'],
      input,
      details: { compileMs: Math.round(many.compileMs) },
    },
  };
  ctx.report?.(first);

  const big = await engineFor(allowlistPolicy(1_000), 'allowlist-1000.yaml');
  const small = await engineFor(allowlistPolicy(10), 'allowlist-10.yaml');
  const allowlist = await interleaveTimes({ a: side(big.engine), b: side(small.engine), ...ctx.timing });
  return {
    ...first,
    allowlistScaling: { ...allowlist, labels: ['1,000 registry patterns', '10 registry patterns'], input },
  };
}

/** Each scenario profiled on its own, after set-up (policy parsing and compiling are not in the profile). */
export async function profile(ctx) {
  const objects = syntheticCorpus({ count: 1_000 }).objects;
  const many = await engineFor(namespacePolicies(10_000), 'namespaces-10000.yaml');
  const big = await engineFor(allowlistPolicy(1_000), 'allowlist-1000.yaml');
  const loop = (engine) => async () => {
    const end = Date.now() + 6_000;
    while (Date.now() < end) await evaluateAll(engine, objects);
  };
  for (let i = 0; i < 5; i++) {
    await evaluateAll(many.engine, objects);
    await evaluateAll(big.engine, objects);
  }
  return {
    namespaceScaling: {
      value: 1,
      profileFile: await profileScenario(ctx.profileDir, 'namespaces', loop(many.engine)),
      scenario: '1,000 synthetic workloads evaluated repeatedly with 10,001 policies loaded (cache off)',
    },
    allowlistScaling: {
      value: 1,
      profileFile: await profileScenario(ctx.profileDir, 'allowlist', loop(big.engine)),
      scenario: '1,000 synthetic workloads evaluated repeatedly with a 1,000-pattern allowlist (cache off)',
    },
  };
}
