import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PullguardAggregateError } from '../errors.js';
import { loadManifests } from '../manifests/load-manifests.js';
import type { PluginDefinition } from '../rule-contract.js';
import { deployment, digestPolicy, engineFor, policies } from './__fixtures__/engine-harness.js';
import { createEngine } from './engine.js';
import { BUILTIN_POLICY } from './prepared-plan.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const prodPolicies = fixture('prod-policies.yaml');

describe('createEngine().evaluate', () => {
  it('reports a team’s manifests as the golden report says', async () => {
    const engine = engineFor(prodPolicies);
    const report = await engine.evaluateText(fixture('team-manifests.yaml'), { file: 'team-manifests.yaml' });
    const golden = {
      verdict: report.verdict,
      findings: report.findings.map((f) => ({
        at: `${f.location?.line}:${f.location?.column}`,
        rule: f.rule,
        policy: f.policy,
        action: f.action,
        namespace: f.namespace,
        container: f.container.name,
        message: f.message,
        fix: f.fix?.value,
      })),
      mutations: report.mutations.map((m) => `${m.pointer} = ${m.value} (${m.rule})`),
      summary: report.summary,
    };
    await expect(`${JSON.stringify(golden, null, 2)}\n`).toMatchFileSnapshot(
      './__fixtures__/team-report.golden.json',
    );
  });

  it('fails only on deny findings that no exemption covers', async () => {
    const warnOnly = engineFor(
      digestPolicy('["*"]').replace('namespaces: ["*"]', 'namespaces: ["*"]\n  action: warn'),
    );
    const report = await warnOnly.evaluateText(deployment('web', 'prod', [{ image: 'nginx:1.25' }]));
    expect(report.findings.map((f) => f.action)).toEqual(['warn']);
    expect(report.verdict).toBe('pass');
    const deny = await engineFor(digestPolicy()).evaluateText(
      deployment('web', 'prod', [{ image: 'nginx:1.25' }]),
    );
    expect(deny.verdict).toBe('fail');
  });

  it('always denies an image that does not parse, even where no policy applies', async () => {
    const engine = engineFor(digestPolicy('[prod]'));
    const report = await engine.evaluateText(
      deployment('web', 'elsewhere', [{ image: 'Nginx:1.25' }, { image: 'nginx:1' }]),
    );
    expect(report.findings).toEqual([
      expect.objectContaining({
        rule: 'invalid-image',
        policy: BUILTIN_POLICY,
        action: 'deny',
        namespace: 'elsewhere',
      }),
    ]);
    expect(report.verdict).toBe('fail');
  });

  it('lets a policy that names invalid-image decide its action', async () => {
    const engine = engineFor(digestPolicy('["*"]', '    - rule: invalid-image\n      action: warn\n'));
    const report = await engine.evaluateText(deployment('web', 'prod', [{ image: 'Nginx:1.25' }]));
    expect(report.findings).toEqual([
      expect.objectContaining({ rule: 'invalid-image', policy: 'digests', action: 'warn' }),
    ]);
    expect(report.verdict).toBe('pass');
  });

  it('reports invalid images once: the other built-in rules skip them', async () => {
    const report = await engineFor(prodPolicies).evaluateText(
      deployment('web', 'prod-x', [{ image: 'Nginx:1.25' }]),
    );
    expect(report.findings.map((f) => f.rule)).toEqual(['invalid-image']);
  });

  it('puts objects without a namespace in options.namespace, else the engine default', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'a', image: 'nginx:1' }] },
    };
    const engine = engineFor(digestPolicy('[prod]'));
    expect((await engine.evaluateObject(pod)).findings).toEqual([]);
    expect((await engine.evaluateObject(pod, { namespace: 'prod' })).findings).toEqual([
      expect.objectContaining({ namespace: 'prod', rule: 'require-digest' }),
    ]);
    const prodDefault = createEngine({
      policies: policies(digestPolicy('[prod]')),
      defaultNamespace: 'prod',
    });
    expect((await prodDefault.evaluateObject(pod)).findings).toHaveLength(1);
  });

  it('reads namespace labels from Namespace objects in the input, from the call and from the engine', async () => {
    const selectorPolicy = `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: by-tier }
spec:
  namespaceSelector: { matchLabels: { tier: prod } }
  rules:
    - rule: require-digest
`;
    const engine = engineFor(selectorPolicy);
    const workload = deployment('web', 'payments', [{ image: 'nginx:1' }]);
    expect((await engine.evaluateText(workload)).findings).toEqual([]);
    const withNamespace = `apiVersion: v1\nkind: Namespace\nmetadata: { name: payments, labels: { tier: prod } }\n---\n${workload}`;
    expect((await engine.evaluateText(withNamespace)).findings).toHaveLength(1);
    expect(
      (await engine.evaluateText(workload, { namespaceLabels: { payments: { tier: 'prod' } } })).findings,
    ).toHaveLength(1);
    expect(engine.explain('payments').policies[0]).toMatchObject({
      applies: false,
      selector: 'labels-unknown',
    });
    engine.setNamespaceLabels('payments', { tier: 'prod' });
    expect((await engine.evaluateText(workload)).findings).toHaveLength(1);
    expect(engine.explain('payments').policies[0]).toMatchObject({ applies: true, selector: 'match' });
    // Forgotten (a deleted namespace): unknown again.
    engine.setNamespaceLabels('payments', undefined);
    expect((await engine.evaluateText(workload)).findings).toEqual([]);
    expect(engine.explain('payments').labels).toBeNull();
  });

  it('reports load warnings (a duplicate key) with the policy warnings, images or not', async () => {
    const engine = engineFor(digestPolicy());
    const duplicate = (kind: string) =>
      `apiVersion: v1\nkind: ${kind}\nmetadata: { name: a, namespace: prod }\nmetadata: { name: b, namespace: prod }\nspec:\n  containers: [{ name: c, image: "nginx@sha256:${'a'.repeat(64)}" }]\n`;
    for (const kind of ['Pod', 'ConfigMap']) {
      const report = await engine.evaluateText(duplicate(kind), { file: 'dup.yaml' });
      expect(report.warnings.map((w) => [w.severity, w.location?.file, w.location?.line])).toEqual([
        ['warning', 'dup.yaml', 4],
      ]);
      expect(report.warnings[0]?.message).toMatch(/metadata/);
    }
  });

  it('shows rules the namespace labels selectors see, kubernetes.io/metadata.name included', async () => {
    const seen: unknown[] = [];
    const recorder: PluginDefinition = {
      name: 'spy',
      rules: [
        {
          id: 'spy/labels',
          description: 'records labels',
          check: (facts) => void seen.push(facts.namespace.labels),
        },
      ],
    };
    const policy = `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: by-name }
spec:
  namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: payments } }
  rules:
    - rule: spy/labels
`;
    const engine = engineFor(policy, { plugins: [recorder], namespaceLabels: { payments: { team: 'pay' } } });
    const report = await engine.evaluateText(deployment('web', 'payments', [{ image: 'nginx:1' }]));
    expect(report.findings).toEqual([]);
    expect(seen).toEqual([{ team: 'pay', 'kubernetes.io/metadata.name': 'payments' }]);
    seen.length = 0;
    await engine.evaluateText(deployment('web', 'unknown', [{ image: 'nginx:1' }]));
    expect(seen).toEqual([]);
  });

  it('says which kinds it reads a pod spec from: core workloads, plus the podSpecPaths it was given', () => {
    const plain = engineFor(digestPolicy());
    expect(plain.runsPods('apps/v1', 'Deployment')).toBe(true);
    expect(plain.runsPods('v1', 'Pod')).toBe(true);
    expect(plain.runsPods('v1', 'ConfigMap')).toBe(false);
    // a CRD kind named like a core one is not that kind
    expect(plain.runsPods('example.com/v1', 'Deployment')).toBe(false);
    expect(plain.runsPods('serving.knative.dev/v1', 'Service')).toBe(false);
    const knative = engineFor(digestPolicy(), {
      manifests: { podSpecPaths: { 'serving.knative.dev/Service': ['spec', 'template', 'spec'] } },
    });
    expect(knative.runsPods('serving.knative.dev/v1', 'Service')).toBe(true);
    expect(knative.runsPods('v1', 'Service')).toBe(false);
  });

  it('judges text, loaded manifests, one object and objects alike, each through its own entry point', async () => {
    const engine = engineFor(digestPolicy());
    const text = deployment('web', 'prod', [{ image: 'nginx:1' }]);
    const fromText = await engine.evaluateText(text, { file: 'web.yaml' });
    const fromLoaded = await engine.evaluateLoaded(loadManifests(text, { file: 'web.yaml' }));
    expect(fromLoaded.findings).toEqual(fromText.findings);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'prod' },
      spec: { containers: [{ name: 'a', image: 'nginx:1' }] },
    };
    const fromObjects = await engine.evaluateObjects([pod]);
    expect(fromObjects.findings.map((f) => [f.rule, f.location])).toEqual([['require-digest', undefined]]);
    const fromObject = await engine.evaluateObject(pod);
    expect(fromObject.findings.map((f) => [f.rule, f.pointer])).toEqual([
      ['require-digest', '/spec/containers/0/image'],
    ]);
    const list = { apiVersion: 'v1', kind: 'List', items: [pod, { ...pod, metadata: { name: 'q' } }] };
    expect((await engine.evaluateObject(list, { namespace: 'prod' })).summary.workloads).toBe(2);
  });

  it('never takes an object for loaded manifests, whatever fields it has', async () => {
    // A custom resource may well have `objects`, `images`, `errors` and `namespaces` fields.
    const lookalike = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'prod' },
      spec: { containers: [{ name: 'a', image: 'nginx:1' }] },
      objects: [],
      images: [],
      errors: [],
      namespaces: [],
    };
    const report = await engineFor(digestPolicy()).evaluateObject(lookalike);
    expect(report.summary).toMatchObject({ objects: 1, workloads: 1, images: 1 });
    expect(report.findings.map((f) => f.rule)).toEqual(['require-digest']);
  });

  it('keeps input order for objects given as data and sorts text findings by location', async () => {
    const engine = engineFor(digestPolicy());
    const pods = ['b:1', 'a:1', 'c:1'].map((image, i) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p${i}`, namespace: 'prod' },
      spec: { containers: [{ name: 'x', image }] },
    }));
    expect((await engine.evaluateObjects(pods)).findings.map((f) => f.image.raw)).toEqual([
      'b:1',
      'a:1',
      'c:1',
    ]);
    const text = `apiVersion: v1
kind: Pod
metadata: { name: p, namespace: prod }
spec:
  containers:
    - { name: late, image: "z:1" }
  initContainers:
    - { name: early, image: "y:1" }
`;
    const lines = (await engine.evaluateText(text)).findings.map((f) => f.location?.line);
    expect(lines).toEqual([...lines].sort((a, b) => (a ?? 0) - (b ?? 0)));
  });

  it('skips require-explicit-pull-policy on admitted objects and says so once', async () => {
    const engine = engineFor(prodPolicies);
    const objects = [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', namespace: 'prod-a' },
        spec: {
          containers: [
            {
              name: 'a',
              image:
                'registry.acme.io/a:1@sha256:0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f',
            },
            {
              name: 'b',
              image:
                'registry.acme.io/b:1@sha256:0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f',
            },
          ],
        },
      },
    ];
    const ci = await engine.evaluateObjects(objects);
    expect(ci.findings.map((f) => f.rule)).toEqual([
      'require-explicit-pull-policy',
      'require-explicit-pull-policy',
    ]);
    const admitted = await engine.evaluateObjects(objects, { admitted: true });
    expect(admitted.findings).toEqual([]);
    expect(admitted.warnings).toEqual([
      expect.objectContaining({
        code: 'RULE_SKIPPED',
        severity: 'warning',
        message: expect.stringMatching(/already defaulted/),
      }),
    ]);
  });

  it('mutates only for entries with mutate: true, one value per field, Always over IfNotPresent', async () => {
    const engine = engineFor(prodPolicies);
    const report = await engine.evaluateText(
      deployment('web', 'prod-a', [{ image: 'registry.acme.io/a:1' }]),
    );
    expect(report.findings.filter((f) => f.fix).map((f) => [f.rule, f.fix?.value])).toEqual([
      ['mutable-tags-require-always', 'Always'],
      ['require-explicit-pull-policy', 'IfNotPresent'],
    ]);
    expect(report.mutations).toEqual([
      expect.objectContaining({
        pointer: '/spec/template/spec/containers/0/imagePullPolicy',
        value: 'Always',
        rule: 'mutable-tags-require-always',
      }),
    ]);
  });

  it('replaces a built-in rule’s message with the entry’s, placeholders filled in', async () => {
    const engine = engineFor(
      digestPolicy('["*"]').replace(
        '    - rule: require-digest\n',
        '    - rule: require-digest\n      message: "{{image.familiar}} in {{container.name}}: pin it ({{workload.kind}}/{{workload.name}})"\n',
      ),
    );
    const first = await engine.evaluateText(deployment('web', 'prod', [{ name: 'api', image: 'nginx:1' }]));
    expect(first.findings.map((f) => f.message)).toEqual(['nginx:1 in api: pin it (Deployment/web)']);
    // The placeholders read the container and workload, so they are part of the cache key.
    const other = await engine.evaluateText(deployment('batch', 'prod', [{ name: 'job', image: 'nginx:1' }]));
    expect(other.summary.cache).toEqual({ hits: 0, misses: 1 });
    expect(other.findings.map((f) => f.message)).toEqual(['nginx:1 in job: pin it (Deployment/batch)']);
  });

  it('fixes an image volume through its pullPolicy field', async () => {
    const engine = engineFor(`apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: explicit }
spec:
  namespaces: ["*"]
  rules:
    - rule: require-explicit-pull-policy
      mutate: true
`);
    const report = await engine.evaluateText(`apiVersion: v1
kind: Pod
metadata: { name: p, namespace: prod }
spec:
  containers:
    - { name: app, image: "nginx:1", imagePullPolicy: IfNotPresent }
  volumes:
    - name: models
      image: { reference: "ghcr.io/acme/models:v1" }
`);
    expect(report.findings.map((f) => [f.container.type, f.message])).toEqual([
      ['volume', expect.stringMatching(/^pullPolicy is not set for ghcr\.io\/acme\/models:v1/)],
    ]);
    expect(report.mutations.map((m) => [m.pointer, m.field, m.value])).toEqual([
      ['/spec/volumes/0/image/pullPolicy', 'pullPolicy', 'IfNotPresent'],
    ]);
  });

  it('throws every compile error at creation', () => {
    const bad = `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: bad }
spec:
  namespaces: ["*"]
  rules:
    - rule: allowed-tags
      with: { pattern: "(?<!rc)[0-9]+" }
    - rule: expression
      id: e
      when: { log: 1 }
    - rule: expression
      id: f
      when: { "==": [{ var: image.nope }, 1] }
      message: "{{image.bogus}} is wrong"
`;
    const error = (() => {
      try {
        engineFor(bad);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PullguardAggregateError);
    expect((error as PullguardAggregateError).diagnostics.map((d) => [d.code, d.field])).toEqual([
      ['POLICY_BAD_PATTERN', 'spec.rules[0].with.pattern'],
      ['POLICY_BAD_EXPRESSION', 'spec.rules[1].when.log'],
      // Operators and placeholders that are not identifiers keep their place in the path.
      ['POLICY_BAD_EXPRESSION', 'spec.rules[2].when["=="][0].var'],
      ['POLICY_BAD_EXPRESSION', 'spec.rules[2].message["{{image.bogus}}"]'],
    ]);
    expect((error as PullguardAggregateError).diagnostics.map((d) => d.location?.line)).toEqual([
      8, 11, 14, 15,
    ]);
  });

  it('reloads atomically and keeps the last good policies when a reload fails', async () => {
    const engine = engineFor(digestPolicy());
    const workload = deployment('web', 'prod', [{ image: 'nginx:1' }]);
    const before = engine.fingerprint;
    const failed = engine.reload(policies(digestPolicy('["*"]', '    - rule: no-such-rule\n')));
    expect(failed).toEqual({
      ok: false,
      fingerprint: before,
      errors: [expect.objectContaining({ code: 'POLICY_UNKNOWN_RULE' })],
    });
    expect((await engine.evaluateText(workload)).findings).toHaveLength(1);
    const ok = engine.reload(policies(digestPolicy('[other]')));
    expect(ok.ok).toBe(true);
    expect(engine.fingerprint).not.toBe(before);
    expect((await engine.evaluateText(workload)).findings).toEqual([]);
  });

  it('lists built-in rules with their default actions', () => {
    const rules = engineFor(digestPolicy()).rules();
    expect(rules.map((r) => r.id)).toEqual([
      'require-digest',
      'require-explicit-pull-policy',
      'allowed-pull-policies',
      'disallow-latest',
      'mutable-tags-require-always',
      'allowed-registries',
      'denied-registries',
      'allowed-tags',
      'restrict-never',
      'private-images',
      'image-exists',
      'digest-matches-tag',
      'invalid-image',
      'expression',
    ]);
    expect(rules.every((r) => r.source === 'builtin' && r.description.length > 20)).toBe(true);
  });
});
