import { describe, expect, it } from 'vitest';
import type { Facts, RuleContext, RuleDefinition } from '../rule-contract.js';
import {
  engineFor,
  findingsWith as findings,
  checksPlugin as plugin,
  policyUsing,
  webDeployment as web,
} from './__fixtures__/engine-harness.js';

const FORGED = `sha256:${'a'.repeat(64)}`;

describe('a rule cannot change what other rules see', () => {
  it('turns a write to the facts into an error finding of the writer, and require-digest still reports', async () => {
    const writer = plugin([
      'mut/a',
      (facts) => {
        // Facts are read-only to TypeScript; a plugin written in JavaScript is not held to the
        // types, so the test writes as such a plugin would. Strict mode (ESM): a frozen object throws.
        (facts.image as { digest: string | null }).digest = FORGED;
      },
    ]);
    expect(await findings(writer, ['mut/a', 'require-digest'])).toEqual([
      ['mut/a', 'error', 'RULE_ERROR'],
      ['require-digest', 'violation', expect.stringContaining('nginx:1.27')],
    ]);
  });

  it('ignores writes that do not throw (Reflect.set, sloppy-mode code): every group of facts is frozen', async () => {
    const silent = plugin([
      'mut/a',
      (facts) => {
        const forged = { digest: FORGED, valid: false, tag: null };
        for (const [key, value] of Object.entries(forged)) Reflect.set(facts.image, key, value);
        Reflect.set(facts, 'image', { ...facts.image, ...forged });
        Reflect.set(facts.pullPolicy, 'effective', 'Always');
        Reflect.set(facts.workload.labels, 'exempt', 'true');
        Reflect.set(facts.namespace, 'name', 'kube-system');
        Reflect.set(facts.pod.imagePullSecrets as string[], 0, 'stolen');
        Reflect.set(facts, 'admitted', true);
      },
    ]);
    const seen: Facts[] = [];
    const recorder: RuleDefinition = {
      id: 'mut/b',
      description: 'records what it sees',
      check: (facts) => {
        seen.push(JSON.parse(JSON.stringify(facts)));
      },
    };
    silent.rules = [...silent.rules, recorder];
    expect(await findings(silent, ['mut/a', 'mut/b', 'require-digest'])).toEqual([
      ['require-digest', 'violation', expect.stringContaining('nginx:1.27')],
    ]);
    expect(seen[0]).toMatchObject({
      image: { raw: 'nginx:1.27', digest: null, tag: '1.27', valid: true },
      pullPolicy: { effective: 'IfNotPresent' },
      workload: { labels: {} },
      namespace: { name: 'prod' },
      pod: { imagePullSecrets: [] },
      admitted: false,
    });
  });

  it('keeps the context of each rule its own: a rule cannot patch how others fail', async () => {
    const patcher = plugin([
      'mut/a',
      (_facts, ctx) => {
        const proto = Object.getPrototypeOf(ctx) as RuleContext<unknown>;
        Reflect.set(proto, 'fail', () => undefined);
        Reflect.set(ctx, 'namespace', 'kube-system');
        Reflect.set(ctx, 'fail', () => undefined);
      },
    ]);
    expect(await findings(patcher, ['mut/a', 'require-digest'])).toEqual([
      ['require-digest', 'violation', expect.stringContaining('nginx:1.27')],
    ]);
  });
});

describe('a plugin rule is read once, when it is registered', () => {
  it('reports a definition whose fields throw as an invalid plugin, not at evaluation', () => {
    const hostile = {
      id: 'mut/getter',
      description: 'throws on read',
      check: () => undefined,
      get deterministic(): boolean {
        throw new Error('read me not');
      },
    };
    expect(() =>
      engineFor(policyUsing(['require-digest']), { plugins: [{ name: 'mut', rules: [hostile] }] }),
    ).toThrow(/PLUGIN_INVALID|could not be registered|cannot be registered/);
  });

  it('ignores changes made to a definition after registration', async () => {
    const definition: RuleDefinition = {
      id: 'mut/late',
      description: 'changes itself',
      check: () => undefined,
    };
    const engine = engineFor(policyUsing(['mut/late']), { plugins: [{ name: 'mut', rules: [definition] }] });
    Object.assign(definition, {
      check: () => {
        throw new Error('swapped');
      },
    });
    expect((await engine.evaluateText(web)).findings).toEqual([]);
  });
});
