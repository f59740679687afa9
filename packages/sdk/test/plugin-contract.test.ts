/**
 * The plugin contract as a plugin author meets it through the SDK: registration checks, options
 * validated at policy load, isolation of rules that throw, reject or hang, and what `check` sees.
 * Everything runs on the real engine.
 */
import {
  type Clock,
  createEngine,
  definePlugin,
  defineRule,
  type Facts,
  type PluginDefinition,
  PullguardAggregateError,
  PullguardError,
  parsePolicies,
  type RuleDefinition,
} from '@pullguard/sdk';
import { createRuleTester, expectFindings } from '@pullguard/sdk/testing';
import { describe, expect, it } from 'vitest';

const pod = (image = 'busybox:1.36', extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'app' },
  spec: { containers: [{ name: 'app', image, ...extra }] },
});

function policy(rules: string): ReturnType<typeof parsePolicies>['documents'] {
  const { documents, errors } = parsePolicies([
    {
      file: 'policy.yaml',
      text: `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: p }
spec:
  namespaces: ['*']
  rules:
${rules}`,
    },
  ]);
  expect(errors).toEqual([]);
  return documents;
}

/** The codes of whatever the engine threw: one PullguardError or an aggregate of diagnostics. */
function codesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof PullguardAggregateError) return error.diagnostics.map((d) => d.code);
    if (error instanceof PullguardError) return [error.code];
    throw error;
  }
  throw new Error('expected the engine to refuse');
}

function register(...plugins: PluginDefinition[]): void {
  createEngine({ policies: [], plugins });
}

const rule = (id: string, more: Partial<RuleDefinition> = {}): RuleDefinition =>
  defineRule({ id, description: id, check: () => undefined, ...more });

describe('registering a plugin', () => {
  it('accepts a plugin whose rules are namespaced by its name', () => {
    expect(() =>
      register(definePlugin({ name: 'acme', rules: [rule('acme/a'), rule('acme/b')] })),
    ).not.toThrow();
  });

  it('refuses two rules with the same id, within a plugin or across plugins', () => {
    expect(
      codesOf(() => register(definePlugin({ name: 'acme', rules: [rule('acme/a'), rule('acme/a')] }))),
    ).toContain('PLUGIN_DUPLICATE_RULE');
    const one = definePlugin({ name: 'acme', rules: [rule('acme/a')] });
    expect(codesOf(() => register(one, one))).toContain('PLUGIN_DUPLICATE_RULE');
  });

  it("refuses rule ids outside the plugin's namespace, including a built-in's id", () => {
    expect(codesOf(() => register(definePlugin({ name: 'acme', rules: [rule('other/a')] })))).toContain(
      'PLUGIN_INVALID',
    );
    expect(
      codesOf(() => register(definePlugin({ name: 'acme', rules: [rule('require-digest')] }))),
    ).toContain('PLUGIN_INVALID');
  });

  it('refuses a rule without a check function', () => {
    const broken = { id: 'acme/a', description: 'a' } as unknown as RuleDefinition;
    expect(codesOf(() => register(definePlugin({ name: 'acme', rules: [broken] })))).toContain(
      'PLUGIN_INVALID',
    );
  });

  it('refuses a plugin written for a contract version this engine does not support', () => {
    expect(
      codesOf(() => register(definePlugin({ name: 'acme', apiVersion: 99, rules: [rule('acme/a')] }))),
    ).toEqual(['PLUGIN_UNSUPPORTED_API']);
  });

  it('refuses an options schema that is not valid JSON Schema', () => {
    const bad = rule('acme/a', { options: { type: 'strnig' } });
    expect(codesOf(() => register(definePlugin({ name: 'acme', rules: [bad] })))).toContain('PLUGIN_INVALID');
  });

  it('says which plugin and which rule is wrong', () => {
    expect(() => register(definePlugin({ name: 'acme', rules: [rule('other/a')] }))).toThrow(
      /acme.*other\/a|other\/a.*acme/s,
    );
  });
});

const acme = definePlugin({
  name: 'acme',
  rules: [
    defineRule({
      id: 'acme/no-busybox',
      description: 'busybox images are not allowed',
      defaultAction: 'deny',
      options: {
        type: 'object',
        properties: { allow: { type: 'array', items: { type: 'string' } } },
        additionalProperties: false,
      },
      check(facts, ctx) {
        if (
          facts.image.name === 'docker.io/library/busybox' &&
          !ctx.options.allow?.includes(facts.image.tag ?? '')
        ) {
          return ctx.fail('busybox is not allowed');
        }
      },
    }),
  ],
});

describe('policies using plugin rules', () => {
  it('name them like built-ins, with options validated against the rule schema', async () => {
    const engine = createEngine({
      policies: policy(
        '    - rule: acme/no-busybox\n      with: { allow: ["1.36"] }\n    - rule: require-digest',
      ),
      plugins: [acme],
    });
    const report = await engine.evaluateObjects([pod('busybox:1.36'), pod('busybox:1.35')]);
    expect(report.findings.map((f) => `${f.rule} ${f.image.raw}`).sort()).toEqual([
      'acme/no-busybox busybox:1.35',
      'require-digest busybox:1.35',
      'require-digest busybox:1.36',
    ]);
  });

  it('reject options that do not match the schema when the policy loads, saying where', () => {
    const make = () =>
      createEngine({
        policies: policy('    - rule: acme/no-busybox\n      with: { allow: "1.36" }'),
        plugins: [acme],
      });
    expect(codesOf(make)).toEqual(['POLICY_BAD_OPTIONS']);
    expect(make).toThrow(
      'policy.yaml:8:22: POLICY_BAD_OPTIONS must be a list (found string "1.36") (at spec.rules[0].with.allow)',
    );
  });

  it('reject a rule that no plugin provides', () => {
    expect(codesOf(() => createEngine({ policies: policy('    - rule: acme/no-busybox') }))).toEqual([
      'POLICY_UNKNOWN_RULE',
    ]);
  });
});

describe('a rule that fails', () => {
  const failing = definePlugin({
    name: 'bad',
    rules: [
      defineRule({
        id: 'bad/throws',
        description: 'throws',
        check: () => {
          throw new Error('kaboom');
        },
      }),
      defineRule({
        id: 'bad/throws-value',
        description: 'throws a string',
        check: () => {
          throw 'just a string';
        },
      }),
      defineRule({
        id: 'bad/rejects',
        description: 'rejects',
        check: async () => Promise.reject(new TypeError('no network')),
      }),
      defineRule({ id: 'bad/hangs', description: 'never settles', check: () => new Promise(() => {}) }),
      defineRule({ id: 'bad/garbage', description: 'returns nonsense', check: () => 42 as never }),
    ],
  });
  const t = createRuleTester(failing, { ruleTimeoutMs: 50 });

  it.each([
    ['bad/throws', 'RULE_ERROR: rule bad/throws threw: kaboom'],
    ['bad/throws-value', 'RULE_ERROR: rule bad/throws-value threw: just a string'],
    ['bad/rejects', 'RULE_ERROR: rule bad/rejects rejected: no network'],
    ['bad/hangs', 'RULE_TIMEOUT: rule bad/hangs did not answer within 50 ms'],
    [
      'bad/garbage',
      'RULE_ERROR: rule bad/garbage returned a number; expected nothing, a violation or a list of violations',
    ],
  ])('%s yields a finding with status error instead of crashing', async (id, message) => {
    const findings = await t.run(id, { manifests: pod() });
    expectFindings(findings).toMatch([
      { rule: id, status: 'error', action: 'deny', container: 'app', message },
    ]);
  });

  it('a rule that rejects after its timeout leaves no unhandled rejection behind', async () => {
    const late = definePlugin({
      name: 'late',
      rules: [
        defineRule({
          id: 'late/rejects',
          description: 'rejects after the timeout',
          check: () => new Promise((_resolve, reject) => setTimeout(() => reject(new Error('too late')), 60)),
        }),
      ],
    });
    const findings = await createRuleTester(late, { ruleTimeoutMs: 20 }).run('late/rejects', {
      manifests: pod(),
    });
    expectFindings(findings).toMatch([{ status: 'error', message: /did not answer within 20 ms/ }]);
    // vitest fails the run on an unhandled rejection: give the late one time to happen.
    await new Promise((resolve) => setTimeout(resolve, 100));
  });

  it('blocks or not as its action says', async () => {
    expect((await t.report('bad/throws', { manifests: pod() })).verdict).toBe('fail');
    const warned = await t.report('bad/throws', { manifests: pod(), action: 'warn' });
    expect(warned.verdict).toBe('pass');
    expect(warned.summary.findings.errors).toBe(1);
  });

  it('does not stop the other rules, and a hung rule is aborted through ctx.signal', async () => {
    let aborted = false;
    const plugin = definePlugin({
      name: 'mix',
      rules: [
        defineRule({
          id: 'mix/hangs',
          description: 'waits for its signal',
          check: (_facts, ctx) =>
            new Promise(() => {
              ctx.signal.addEventListener('abort', () => {
                aborted = true;
              });
            }),
        }),
        defineRule({ id: 'mix/fails', description: 'always fails', check: (_f, ctx) => ctx.fail('no') }),
      ],
    });
    const engine = createEngine({
      policies: policy('    - rule: mix/hangs\n    - rule: mix/fails'),
      plugins: [plugin],
      ruleTimeoutMs: 50,
    });
    const report = await engine.evaluateObject(pod());
    expect(report.findings.map((f) => `${f.rule} ${f.status}`).sort()).toEqual([
      'mix/fails violation',
      'mix/hangs error',
    ]);
    expect(aborted).toBe(true);
  });
});

describe('what check sees', () => {
  it('gets the facts JSON Logic rules see, and a context with options, policy, namespace and the injected clock', async () => {
    const seen: { facts: Facts; options: unknown; policy: string; namespace: string; now: number }[] = [];
    const spy = definePlugin({
      name: 'spy',
      rules: [
        defineRule({
          id: 'spy/record',
          description: 'records what it sees',
          options: { type: 'object', properties: { x: { type: 'integer' } } },
          check(facts, ctx) {
            seen.push({
              facts,
              options: ctx.options,
              policy: ctx.policy,
              namespace: ctx.namespace,
              now: ctx.now,
            });
          },
        }),
      ],
    });
    const clock: Clock = { now: () => Date.UTC(2026, 10, 25) };
    const manifests = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
  annotations: { acme.io/owner: storefront }
spec:
  template:
    spec:
      imagePullSecrets: [{ name: regcred }]
      initContainers:
        - name: proxy
          image: ghcr.io/acme/proxy:2.0
          restartPolicy: Always
      containers:
        - name: app
          image: registry.acme.io/web@sha256:${'a'.repeat(64)}
          imagePullPolicy: IfNotPresent
`;
    await createRuleTester(spy, { clock }).run('spy/record', {
      manifests,
      with: { x: 1 },
      namespace: 'prod-a',
      namespaceLabels: { env: 'prod' },
    });
    expect(seen).toHaveLength(2);
    const app = seen.find((s) => s.facts.container.name === 'app');
    expect(app).toEqual({
      options: { x: 1 },
      policy: 'rule-under-test',
      namespace: 'prod-a',
      now: Date.UTC(2026, 10, 25),
      facts: {
        image: {
          raw: `registry.acme.io/web@sha256:${'a'.repeat(64)}`,
          valid: true,
          error: null,
          name: 'registry.acme.io/web',
          domain: 'registry.acme.io',
          path: 'web',
          tag: null,
          digest: `sha256:${'a'.repeat(64)}`,
          familiar: `registry.acme.io/web@sha256:${'a'.repeat(64)}`,
        },
        pullPolicy: { declared: 'IfNotPresent', effective: 'IfNotPresent', explicit: true },
        container: { name: 'app', type: 'container' },
        workload: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'web',
          labels: { app: 'web' },
          annotations: { 'acme.io/owner': 'storefront' },
        },
        // The labels selectors see: the API server's kubernetes.io/metadata.name is always there.
        namespace: { name: 'prod-a', labels: { env: 'prod', 'kubernetes.io/metadata.name': 'prod-a' } },
        pod: { imagePullSecrets: ['regcred'] },
        admitted: false,
        // No rule of the plan declares `registry` in its reads: nothing was looked up.
        registry: {
          status: 'not-checked',
          digest: null,
          index: null,
          stale: false,
          tagStatus: 'not-checked',
          tagDigest: null,
          host: null,
          failureKind: null,
          message: 'no rule that governs this image reads the registry',
          hint: null,
        },
      },
    });
    const proxy = seen.find((s) => s.facts.container.name === 'proxy');
    expect(proxy?.facts.container).toEqual({ name: 'proxy', type: 'sidecar' });
    expect(proxy?.facts.pullPolicy).toEqual({ declared: null, effective: 'IfNotPresent', explicit: false });
  });

  it('turns ctx.fail extras into the finding: fix, notes, and the rule hint', async () => {
    const plugin = definePlugin({
      name: 'acme',
      rules: [
        defineRule({
          id: 'acme/always',
          description: 'mutable tags pulled Always',
          hint: 'Set imagePullPolicy: Always.',
          check: (facts, ctx) =>
            facts.pullPolicy.effective === 'Always'
              ? undefined
              : ctx.fail('pull it Always', { fix: { imagePullPolicy: 'Always' }, notes: ['a note'] }),
        }),
      ],
    });
    const findings = await createRuleTester(plugin).run('acme/always', {
      manifests: pod('nginx:1.27', { imagePullPolicy: 'IfNotPresent' }),
    });
    expectFindings(findings).toMatch([
      {
        message: 'pull it Always',
        hint: 'Set imagePullPolicy: Always.',
        notes: ['a note'],
        fix: { pointer: '/spec/containers/0/imagePullPolicy', field: 'imagePullPolicy', value: 'Always' },
      },
    ]);
  });
});

describe('the rule tester', () => {
  const t = createRuleTester(acme);

  it('refuses manifests that do not load, with the place of the problem', async () => {
    await expect(t.run('acme/no-busybox', { manifests: 'kind: [', file: 'pod.yaml' })).rejects.toThrow(
      /pod\.yaml:1:\d+: YAML_SYNTAX/,
    );
  });

  it('run returns the findings of the rule under test only; report has the always-on invalid-image check too', async () => {
    const manifests = pod('Not/A:Valid:Image');
    expectFindings(await t.run('acme/no-busybox', { manifests })).toBeEmpty();
    expectFindings((await t.report('acme/no-busybox', { manifests })).findings).toMatch([
      { rule: 'invalid-image', policy: 'pullguard-builtin' },
    ]);
  });

  it('refuses namespace labels that no workload would see, naming the namespace to pass', async () => {
    const manifests = { ...pod(), metadata: { name: 'app', namespace: 'team-payments' } };
    await expect(
      t.run('acme/no-busybox', { manifests, namespaceLabels: { team: 'payments' } }),
    ).rejects.toThrow(
      `the rule tester's namespaceLabels are the labels of namespace "default", but the workloads run in team-payments: pass namespace: 'team-payments'`,
    );
  });
});
