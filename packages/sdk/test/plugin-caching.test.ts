/**
 * What `deterministic` and `reads` promise a plugin author: how often `check` runs when the same
 * image appears many times, through the real engine and its result cache.
 */
import { createEngine, definePlugin, defineRule, type FactGroup, parsePolicies } from '@pullguard/sdk';
import { describe, expect, it } from 'vitest';

function deployment(name: string, image: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: { template: { spec: { containers: [{ name: 'app', image, imagePullPolicy: 'Always' }] } } },
  };
}
const fleet = [deployment('a', 'nginx:1.27'), deployment('b', 'nginx:1.27'), deployment('c', 'nginx:1.27')];

/** An engine with one counting rule, and the number of times its check ran. */
function counting(rule: { deterministic?: boolean; reads?: FactGroup[]; fails?: () => boolean }) {
  const calls = { n: 0 };
  const plugin = definePlugin({
    name: 'count',
    rules: [
      defineRule({
        id: 'count/calls',
        description: 'counts its calls',
        deterministic: rule.deterministic,
        reads: rule.reads,
        check(_facts, ctx) {
          calls.n++;
          if (rule.fails?.()) throw new Error('transient');
          return ctx.fail('counted');
        },
      }),
    ],
  });
  const { documents } = parsePolicies([
    {
      text: 'apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata: { name: p }\nspec:\n  namespaces: ["*"]\n  rules: [{ rule: count/calls }]\n',
    },
  ]);
  return { engine: createEngine({ policies: documents, plugins: [plugin] }), calls };
}

describe('result caching of plugin rules', () => {
  it("reads: ['image'] — one check serves every workload running the image, across requests", async () => {
    const { engine, calls } = counting({ reads: ['image'] });
    const first = await engine.evaluateObjects(fleet);
    const second = await engine.evaluateObjects(fleet);
    expect(calls.n).toBe(1);
    // Cached results still produce one finding per container, each with its own workload.
    expect(second.findings.map((f) => f.workload.name)).toEqual(['a', 'b', 'c']);
    expect(first.findings).toEqual(second.findings);
  });

  it('without reads the key holds every fact: workloads that differ are checked separately', async () => {
    const { engine, calls } = counting({});
    await engine.evaluateObjects(fleet);
    await engine.evaluateObjects(fleet);
    expect(calls.n).toBe(3);
  });

  it('deterministic: false — checked for every image of every request', async () => {
    const { engine, calls } = counting({ deterministic: false, reads: ['image'] });
    await engine.evaluateObjects(fleet);
    await engine.evaluateObjects(fleet);
    expect(calls.n).toBe(6);
  });

  it('a rule error is never cached: the next request asks again', async () => {
    let failing = true;
    const { engine, calls } = counting({ reads: ['image'], fails: () => failing });
    const broken = await engine.evaluateObject(fleet[0]!);
    expect(broken.findings.map((f) => f.status)).toEqual(['error']);
    failing = false;
    const healed = await engine.evaluateObject(fleet[0]!);
    expect(healed.findings.map((f) => f.status)).toEqual(['violation']);
    expect(calls.n).toBe(2);
  });
});
