import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../engine-api.js';
import { formatDiagnostic } from '../errors.js';
import type { RuleDefinition } from '../rule-contract.js';
import { type CompilePoliciesOptions, compilePolicies } from './compile-policies.js';
import type { CompiledPolicySet, RulesById } from './compiled-policy.js';
import { parsePolicies } from './parse-policies.js';

// Small rule definitions shaped like the built-ins: enough to exercise options, prepare and actions.
// biome-ignore lint/suspicious/noExplicitAny: a catalog mixes rules with different option types
const rules: RuleDefinition<any, any>[] = [
  {
    id: 'require-digest',
    description: 'images are pinned by digest',
    options: {
      type: 'object',
      additionalProperties: false,
      properties: { allowTag: { type: 'boolean', default: true } },
    },
    check: () => undefined,
  },
  {
    id: 'allowed-registries',
    description: 'images come from listed registries',
    options: {
      type: 'object',
      additionalProperties: false,
      required: ['registries'],
      properties: { registries: { type: 'array', minItems: 1, items: { type: 'string' } } },
    },
    prepare: (options: { registries: string[] }, _entry, report) => {
      options.registries.forEach((registry, index) => {
        if (registry === 'bad')
          report({ message: 'not a registry', field: `registries[${index}]`, code: 'POLICY_BAD_PATTERN' });
        else if (!registry.endsWith('/'))
          report({
            message: `"${registry}" has no trailing "/"`,
            field: `registries[${index}]`,
            severity: 'warning',
          });
      });
      return new Set(options.registries);
    },
    check: () => undefined,
  },
  {
    id: 'expression',
    description: 'JSON Logic',
    prepare: (_options, entry, report) => {
      if (typeof entry.entry['when'] !== 'object')
        report({ message: 'not JSON Logic', field: 'when', scope: 'entry', code: 'POLICY_BAD_EXPRESSION' });
      return entry.entry['when'];
    },
    check: () => undefined,
  },
  { id: 'disallow-latest', description: 'no :latest', defaultAction: 'warn', check: () => undefined },
  { id: 'invalid-image', description: 'references parse', check: () => undefined },
];
const catalog: RulesById = new Map(rules.map((rule) => [rule.id, rule]));

const policy = (name: string, spec: string) =>
  `apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata:\n  name: ${name}\nspec:\n${spec.replace(/^/gm, '  ')}\n`;

function documents(...texts: string[]): PolicyDocument[] {
  const { documents, errors } = parsePolicies(texts.map((text, i) => ({ text, file: `p${i}.yaml` })));
  expect(errors).toEqual([]);
  return documents;
}

function compile(texts: string[], options?: CompilePoliciesOptions): CompiledPolicySet {
  const result = compilePolicies(documents(...texts), catalog, options);
  if (!result.ok) throw new Error(result.errors.map(formatDiagnostic).join('\n'));
  return result.set;
}

function errorsOf(texts: string[], options?: CompilePoliciesOptions): string[] {
  const result = compilePolicies(documents(...texts), catalog, options);
  return result.ok ? [] : result.errors.map(formatDiagnostic);
}

const ids = (set: CompiledPolicySet, namespace: string, labels?: Record<string, string>) =>
  set
    .planFor(namespace, labels)
    .rules.map((r) => `${r.policy}:${r.id}:${r.action}${r.inheritedFrom ? `<${r.inheritedFrom}` : ''}`);

const BASELINE = policy(
  'baseline',
  'namespaces: ["*"]\naction: warn\nrules:\n  - rule: disallow-latest\n  - rule: invalid-image\n    action: deny',
);
const PROD = policy(
  'production',
  'namespaces: ["prod-*", payments]\nexcludeNamespaces: [prod-sandbox]\nextends: [baseline]\nrules:\n  - rule: require-digest\n  - rule: disallow-latest\n    action: deny',
);

describe('compilePolicies: which policies govern a namespace', () => {
  it('evaluates a rule once per governing policy, policies in name order', () => {
    const set = compile([PROD, BASELINE]);
    expect(ids(set, 'prod-eu')).toEqual([
      'baseline:disallow-latest:warn',
      'baseline:invalid-image:deny',
      'production:invalid-image:deny<baseline',
      'production:require-digest:deny',
      'production:disallow-latest:deny',
    ]);
    expect(ids(set, 'default')).toEqual(['baseline:disallow-latest:warn', 'baseline:invalid-image:deny']);
  });

  it('excludeNamespaces wins over namespaces', () => {
    const set = compile([PROD, BASELINE]);
    expect(ids(set, 'prod-sandbox').some((id) => id.startsWith('production:'))).toBe(false);
  });

  it('with namespaces and a namespaceSelector, both must match (AND)', () => {
    const set = compile([
      policy(
        'p',
        'namespaces: ["prod-*"]\nnamespaceSelector: { matchLabels: { tier: prod } }\nrules: [{ rule: require-digest }]',
      ),
    ]);
    expect(ids(set, 'prod-a', { tier: 'prod' })).toEqual(['p:require-digest:deny']);
    expect(ids(set, 'prod-a', { tier: 'dev' })).toEqual([]);
    expect(ids(set, 'dev-a', { tier: 'prod' })).toEqual([]);
  });

  it('a selector alone applies wherever it matches, and never when the labels are unknown', () => {
    const set = compile([
      policy(
        'tenants',
        'namespaceSelector: { matchLabels: { tenant: payments } }\nrules: [{ rule: require-digest }]',
      ),
    ]);
    expect(ids(set, 'anything', { tenant: 'payments' })).toEqual(['tenants:require-digest:deny']);
    expect(ids(set, 'anything', {})).toEqual([]);
    const plan = set.planFor('anything', undefined);
    expect(plan).toMatchObject({ labelsKnown: false, rules: [] });
  });

  it('a selector on kubernetes.io/metadata.name matches known namespaces by name', () => {
    const set = compile([
      policy(
        'named',
        'namespaceSelector:\n  matchExpressions: [{ key: kubernetes.io/metadata.name, operator: In, values: [a, b] }]\nrules: [{ rule: require-digest }]',
      ),
    ]);
    expect(ids(set, 'a', {})).toEqual(['named:require-digest:deny']);
    expect(ids(set, 'c', {})).toEqual([]);
    expect(ids(set, 'a', undefined)).toEqual([]);
  });

  it('namespaces: [] applies nowhere (a base for extends)', () => {
    const set = compile([policy('base', 'namespaces: []\nrules: [{ rule: require-digest }]')]);
    expect(ids(set, 'default')).toEqual([]);
  });

  // Correctness of the index only; its cost at 10,000 policies is the `namespaceScaling` benchmark.
  it('finds the right policy among 1,000 through the index', () => {
    const many = Array.from({ length: 1_000 }, (_, i) =>
      policy(`team-${i}`, `namespaces: [team-${i}, "team-${i}-*"]\nrules: [{ rule: require-digest }]`),
    );
    const set = compile([many.join('---\n')]);
    expect(ids(set, 'team-424')).toEqual(['team-424:require-digest:deny']);
    expect(ids(set, 'team-42-canary')).toEqual(['team-42:require-digest:deny']);
    expect(ids(set, 'other')).toEqual([]);
  });

  it('finds policies scoped by a label selector alone through the label they require', () => {
    const many = Array.from({ length: 2_000 }, (_, i) =>
      policy(
        `tenant-${i}`,
        `namespaceSelector: { matchLabels: { tenant: t${i}, tier: prod } }\nrules: [{ rule: require-digest }]`,
      ),
    );
    const set = compile([many.join('---\n')]);
    expect(ids(set, 'x', { tenant: 't7', tier: 'prod' })).toEqual(['tenant-7:require-digest:deny']);
    expect(ids(set, 'x', { tenant: 't7', tier: 'dev' })).toEqual([]);
    expect(ids(set, 'x', { tier: 'prod' })).toEqual([]);
    // explain still lists every policy whose globs match, saying why it does not apply.
    expect(set.explain('x', { tenant: 't7' }, 0).policies).toHaveLength(2_000);
  });

  it('memoizes plans, keyed only on the labels that selectors read', () => {
    const set = compile([
      policy('p', 'namespaceSelector: { matchLabels: { tier: prod } }\nrules: [{ rule: require-digest }]'),
    ]);
    const plan = set.planFor('a', { tier: 'prod', team: 'x' });
    expect(set.planFor('a', { tier: 'prod', team: 'y' })).toBe(plan);
    expect(set.planFor('a', { tier: 'dev' })).not.toBe(plan);
    expect(set.planFor('b', { tier: 'prod' }).key).toBe(plan.key);
    expect(set.planFor('a', {}).key).not.toBe(plan.key);
  });

  it('answers from its bounded memo exactly as a set that never forgets', () => {
    const texts = [
      BASELINE,
      PROD,
      policy('pci', 'namespaceSelector: { matchLabels: { tier: pci } }\nrules: [{ rule: require-digest }]'),
      policy(
        'no-dev',
        'namespaceSelector: { matchExpressions: [{ key: env, operator: NotIn, values: [dev] }] }\nrules: [{ rule: disallow-latest }]',
      ),
    ];
    const lookup = fc.record({
      namespace: fc.constantFrom('prod-eu', 'prod-sandbox', 'payments', 'dev'),
      labels: fc.option(
        fc.record(
          {
            tier: fc.constantFrom('pci', 'web'),
            env: fc.constantFrom('dev', 'prod'),
            team: fc.constantFrom('a', 'b'),
          },
          { requiredKeys: [] },
        ),
      ),
    });
    fc.assert(
      fc.property(fc.array(lookup, { maxLength: 30 }), (lookups) => {
        const small = compile(texts, { planCacheSize: 2 });
        const large = compile(texts);
        for (const { namespace, labels } of lookups) {
          expect(ids(small, namespace, labels ?? undefined)).toEqual(
            ids(large, namespace, labels ?? undefined),
          );
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('compilePolicies: rule instances', () => {
  it('resolves the action: entry, then the policy where it is written, then the rule default, then deny', () => {
    const set = compile([
      policy(
        'a',
        'namespaces: ["*"]\nrules:\n  - rule: disallow-latest\n  - rule: require-digest\n  - rule: invalid-image\n    action: audit',
      ),
    ]);
    expect(ids(set, 'x')).toEqual([
      'a:disallow-latest:warn',
      'a:require-digest:deny',
      'a:invalid-image:audit',
    ]);
  });

  it('takes the action of a document built by hand (without declaredAction) as written', () => {
    const [document] = documents(policy('a', 'namespaces: ["*"]\nrules: [{ rule: disallow-latest }]'));
    const { declaredAction: _omitted, ...byHand } = { ...document!, action: 'audit' as const };
    const result = compilePolicies([byHand], catalog);
    expect(result.ok && result.set.planFor('x', undefined).rules[0]?.action).toBe('audit');
  });

  it('validates options, fills schema defaults and keeps what prepare returns', () => {
    const set = compile([
      policy(
        'a',
        'namespaces: ["*"]\nrules:\n  - rule: require-digest\n  - rule: allowed-registries\n    with: { registries: [r.io/] }\n    mutate: true',
      ),
    ]);
    const [digest, registries] = set.planFor('x', undefined).rules;
    expect(digest?.options).toEqual({ allowTag: true });
    expect(registries?.options).toEqual(new Set(['r.io/']));
    expect(registries).toMatchObject({
      mutate: true,
      rule: 'allowed-registries',
      id: 'allowed-registries',
      policy: 'a',
    });
    expect(registries?.location).toMatchObject({ file: 'p0.yaml', line: 9, column: 7 });
  });

  it('gives the extending policy the base rules under its own scope; its own entry with the same id wins', () => {
    const set = compile([PROD, BASELINE]);
    const inherited = set.planFor('payments', undefined).rules.filter((r) => r.policy === 'production');
    expect(inherited.map((r) => [r.id, r.inheritedFrom])).toEqual([
      ['invalid-image', 'baseline'],
      ['require-digest', undefined],
      ['disallow-latest', undefined],
    ]);
  });

  it('resolves extends recursively; a later base overrides an earlier one', () => {
    const set = compile([
      policy('root', 'namespaces: []\nrules: [{ rule: require-digest, action: audit }]'),
      policy('mid', 'namespaces: []\nextends: [root]\nrules: [{ rule: invalid-image }]'),
      policy('other', 'namespaces: []\nrules: [{ rule: require-digest, action: warn }]'),
      policy('leaf', 'namespaces: [leaf]\nextends: [mid, other]'),
    ]);
    expect(ids(set, 'leaf')).toEqual(['leaf:invalid-image:deny<mid', 'leaf:require-digest:warn<other']);
  });

  it('gives instances stable keys: same content, same key; any change, a new key', () => {
    const a = compile([PROD, BASELINE]);
    const b = compile([BASELINE, PROD]);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(b.planFor('prod-a', undefined).key).toBe(a.planFor('prod-a', undefined).key);
    const c = compile([PROD.replace('action: deny', 'action: audit'), BASELINE]);
    expect(c.fingerprint).not.toBe(a.fingerprint);
    expect(c.planFor('default', undefined).key).not.toBe(a.planFor('default', undefined).key);
    expect(c.planFor('default', undefined).rules[0]?.key).toBe(a.planFor('default', undefined).rules[0]?.key);
  });
});

describe('compilePolicies: exemptions', () => {
  const EXEMPT = policy(
    'prod',
    [
      'namespaces: ["prod-*"]',
      'extends: [base]',
      'rules: [{ rule: require-digest }]',
      'exemptions:',
      '  - rules: [require-digest]',
      '    images: ["registry.acme.io/tools/"]',
      '    namespaces: [prod-batch]',
      '    workloads: ["CronJob/nightly-*"]',
      '    expires: "2027-01-31"',
      '    owner: platform-team',
      '    reason: "TICKET-123"',
    ].join('\n'),
  );
  const BASE = policy(
    'base',
    'namespaces: []\nrules: [{ rule: invalid-image }]\nexemptions:\n  - rules: [invalid-image]\n    namespaces: ["*"]',
  );

  it('attach to the rule instances they name, inherited ones included', () => {
    const set = compile([EXEMPT, BASE]);
    const [image, digest] = set.planFor('prod-batch', undefined).rules;
    expect(image?.exemptions).toHaveLength(1);
    const exemption = digest?.exemptions[0];
    expect(exemption).toMatchObject({ expires: '2027-01-31', owner: 'platform-team', reason: 'TICKET-123' });
    expect(exemption?.expiresAt).toBe(Date.UTC(2027, 1, 1));
    expect(exemption?.matchesNamespace('prod-batch')).toBe(true);
    expect(exemption?.matchesNamespace('prod-web')).toBe(false);
    expect(exemption?.matchesWorkload('CronJob', 'nightly-report')).toBe(true);
    expect(exemption?.matchesWorkload('Deployment', 'nightly-report')).toBe(false);
    expect(exemption?.matchesImage('registry.acme.io/tools/kubectl')).toBe(true);
    expect(exemption?.matchesImage('registry.acme.io/app')).toBe(false);
  });

  it('list every policy with its rule instances in effect, the entries they come from and its exemptions as written', () => {
    const views = compile([EXEMPT, BASE]).policies();
    expect(views.map((v) => v.document.name)).toEqual(['base', 'prod']);
    const prod = views[1]!;
    expect(prod.rules.map((r) => `${r.id}<${r.inheritedFrom ?? ''}:${r.entry?.field}`)).toEqual([
      'invalid-image<base:spec.rules[0]',
      'require-digest<:spec.rules[0]',
    ]);
    expect(prod.exemptions.map((e) => e.rules)).toEqual([['invalid-image'], ['require-digest']]);
    expect(prod.exemptions[1]).toMatchObject({ images: ['registry.acme.io/tools/'], expires: '2027-01-31' });
  });

  it('report the next expiry strictly after now', () => {
    const set = compile([EXEMPT, BASE]);
    expect(set.nextExpiry(Date.UTC(2026, 0, 1))).toBe(Date.UTC(2027, 1, 1));
    expect(set.nextExpiry(Date.UTC(2027, 1, 1))).toBeUndefined();
  });

  it('warn about expired and soon-expiring exemptions when given the time', () => {
    const expiring = compilePolicies(documents(EXEMPT, BASE), catalog, { now: Date.UTC(2027, 0, 25) });
    expect(expiring.warnings.map(formatDiagnostic)).toEqual([
      'p0.yaml:14:16: EXEMPTION_EXPIRING the exemption for require-digest expires on 2027-01-31 (owner: platform-team), in 7 days (at spec.exemptions[0].expires)',
    ]);
    const expired = compilePolicies(documents(EXEMPT, BASE), catalog, { now: Date.UTC(2027, 1, 1) });
    expect(expired.ok).toBe(true);
    expect(expired.warnings.map((w) => w.message)).toEqual([
      'the exemption for require-digest expired on 2027-01-31 (owner: platform-team): it no longer applies; remove or renew it',
    ]);
  });
});

describe('compilePolicies: errors, all reported together with locations', () => {
  it('duplicate names, unknown extends and extends cycles', () => {
    expect(
      errorsOf([
        policy('a', 'namespaces: ["*"]\nextends: [b]'),
        policy('b', 'namespaces: ["*"]\nextends: [a, baseline]'),
        policy('a', 'namespaces: ["*"]'),
        policy('c', 'namespaces: ["*"]\nextends: [c]'),
      ]),
    ).toEqual([
      'p1.yaml:7:13: POLICY_EXTENDS_CYCLE policies extend each other in a cycle: a → b → a (at spec.extends[0])',
      'p1.yaml:7:16: POLICY_UNKNOWN_EXTENDS policy "b" extends "baseline", which is not loaded (at spec.extends[1])',
      'p2.yaml:4:9: POLICY_DUPLICATE_NAME policy "a" is already defined (p0.yaml:1) (at metadata.name)',
      'p3.yaml:7:13: POLICY_EXTENDS_CYCLE policies extend each other in a cycle: c → c (at spec.extends[0])',
    ]);
  });

  it('unknown rules with a suggestion, bad options at their field, prepare problems routed with their code', () => {
    expect(
      errorsOf([
        policy(
          'a',
          [
            'namespaces: ["*"]',
            'rules:',
            '  - rule: require-digets',
            '  - rule: acme/thing',
            '  - rule: require-digest',
            '    with: { allowTag: "no", extra: 1 }',
            '  - rule: allowed-registries',
            '    with: { registries: [r.io/, bad, s.io] }',
            '  - rule: expression',
            '    id: e',
            '    when: 3',
            '  - rule: invalid-image',
            '    with: { x: 1 }',
          ].join('\n'),
        ),
      ]),
    ).toEqual([
      'p0.yaml:8:13: POLICY_UNKNOWN_RULE unknown rule "require-digets" (did you mean "require-digest"?) (at spec.rules[0].rule)',
      'p0.yaml:9:13: POLICY_UNKNOWN_RULE unknown rule "acme/thing": no loaded plugin provides it (at spec.rules[1].rule)',
      'p0.yaml:11:25: POLICY_BAD_OPTIONS must be a boolean (found string "no") (at spec.rules[2].with.allowTag)',
      'p0.yaml:11:38: POLICY_BAD_OPTIONS unknown field "extra" (expected one of: allowTag) (at spec.rules[2].with.extra)',
      'p0.yaml:13:35: POLICY_BAD_PATTERN not a registry (at spec.rules[3].with.registries[1])',
      'p0.yaml:16:13: POLICY_BAD_EXPRESSION not JSON Logic (at spec.rules[4].when)',
      'p0.yaml:18:7: POLICY_BAD_OPTIONS rule "invalid-image" takes no options (at spec.rules[5].with)',
    ]);
  });

  it('keeps prepare warnings as warnings of a successful compile', () => {
    const result = compilePolicies(
      documents(
        policy(
          'a',
          'namespaces: ["*"]\nrules:\n  - rule: allowed-registries\n    with: { registries: [s.io] }',
        ),
      ),
      catalog,
    );
    expect(result.ok).toBe(true);
    expect(result.warnings.map(formatDiagnostic)).toEqual([
      'p0.yaml:9:28: POLICY_BAD_OPTIONS "s.io" has no trailing "/" (at spec.rules[0].with.registries[0])',
    ]);
  });

  it('bad globs, selectors and exemptions', () => {
    expect(
      errorsOf([
        policy(
          'a',
          [
            'namespaces: ["prod.*"]',
            'excludeNamespaces: ["Sandbox"]',
            'namespaceSelector:',
            '  matchExpressions: [{ key: tier, operator: In }]',
            'rules: [{ rule: require-digest }]',
            'exemptions:',
            '  - rules: [require-digset, invalid-image]',
            '    namespaces: ["a_b"]',
            '    workloads: [nightly]',
            '    expires: "2027-02-30"',
          ].join('\n'),
        ),
      ]),
    ).toEqual([
      'p0.yaml:6:16: POLICY_BAD_GLOB namespace glob "prod.*" contains ".": only lowercase letters, digits and "-", "*" and "?" are allowed (at spec.namespaces[0])',
      'p0.yaml:7:23: POLICY_BAD_GLOB namespace glob "Sandbox" contains "S": only lowercase letters, digits and "-", "*" and "?" are allowed (at spec.excludeNamespaces[0])',
      'p0.yaml:9:24: POLICY_BAD_SELECTOR operator In needs at least one value (at spec.namespaceSelector.matchExpressions[0].values)',
      'p0.yaml:12:15: POLICY_BAD_EXEMPTION the exemption names rule "require-digset", which policy "a" does not have (did you mean "require-digest"?) (at spec.exemptions[0].rules[0])',
      'p0.yaml:12:31: POLICY_BAD_EXEMPTION the exemption names rule "invalid-image", which policy "a" does not have (at spec.exemptions[0].rules[1])',
      'p0.yaml:13:20: POLICY_BAD_GLOB namespace glob "a_b" contains "_": only lowercase letters, digits and "-", "*" and "?" are allowed (at spec.exemptions[0].namespaces[0])',
      'p0.yaml:14:19: POLICY_BAD_GLOB workload glob "nightly" must have the form Kind/name, e.g. "Deployment/batch-*" or "*/legacy-app" (at spec.exemptions[0].workloads[0])',
      'p0.yaml:15:16: POLICY_BAD_EXEMPTION expires "2027-02-30" is not a date: use YYYY-MM-DD (valid through the end of that day, UTC) or an RFC 3339 date-time such as 2027-01-31T12:00:00Z (at spec.exemptions[0].expires)',
    ]);
  });
});

describe('explain', () => {
  it("gives each policy's onRegistryError: its own, else the one of what it extends, else deny", () => {
    const set = compile([
      policy('base', 'namespaces: [none]\nonRegistryError: warn\nrules: [{ rule: require-digest }]'),
      policy('team', 'namespaces: [shop]\nextends: [base]\nrules: []'),
      policy('strict', 'namespaces: [shop]\nextends: [base]\nonRegistryError: allow\nrules: []'),
      policy('plain', 'namespaces: [shop]\nrules: [{ rule: require-digest }]'),
    ]);
    const modes = set.explain('shop', undefined, 0).policies.map((p) => `${p.name} ${p.onRegistryError}`);
    expect(modes).toEqual(['plain deny', 'strict allow', 'team warn']);
  });

  it('says which glob and selector matched, what was excluded and inherited, and every condition of the exemptions', () => {
    const set = compile([
      PROD,
      BASELINE,
      policy(
        'tenants',
        'namespaceSelector: { matchLabels: { tenant: payments } }\nrules: [{ rule: require-digest }]\nexemptions:\n  - rules: [require-digest]\n    images: [registry.acme.io/legacy/]\n    namespaces: [prod-*]\n    workloads: [CronJob/report-*]\n    expires: "2027-01-31"\n    owner: payments',
      ),
    ]);
    expect(set.explain('prod-sandbox', undefined, Date.UTC(2027, 0, 20))).toMatchInlineSnapshot(`
      {
        "labels": null,
        "namespace": "prod-sandbox",
        "policies": [
          {
            "applies": true,
            "because": [
              "namespace glob "*" matches",
            ],
            "exemptions": [],
            "file": "p1.yaml",
            "name": "baseline",
            "onRegistryError": "deny",
            "rules": [
              {
                "action": "warn",
                "id": "disallow-latest",
                "mutate": false,
                "rule": "disallow-latest",
              },
              {
                "action": "deny",
                "id": "invalid-image",
                "mutate": false,
                "rule": "invalid-image",
              },
            ],
          },
          {
            "applies": false,
            "because": [
              "namespace glob "prod-*" matches",
              "excluded by excludeNamespaces glob "prod-sandbox"",
              "inherits 1 rule from "baseline"",
            ],
            "excludedBy": "prod-sandbox",
            "exemptions": [],
            "file": "p0.yaml",
            "name": "production",
            "onRegistryError": "deny",
            "rules": [
              {
                "action": "deny",
                "id": "invalid-image",
                "inheritedFrom": "baseline",
                "mutate": false,
                "rule": "invalid-image",
              },
              {
                "action": "deny",
                "id": "require-digest",
                "mutate": false,
                "rule": "require-digest",
              },
              {
                "action": "deny",
                "id": "disallow-latest",
                "mutate": false,
                "rule": "disallow-latest",
              },
            ],
          },
          {
            "applies": false,
            "because": [
              "namespace glob "*" matches",
              "labels unknown: namespaceSelector {tenant=payments} not evaluated, policy does not apply",
            ],
            "exemptions": [
              {
                "expires": "2027-01-31",
                "images": [
                  "registry.acme.io/legacy/",
                ],
                "namespaces": [
                  "prod-*",
                ],
                "owner": "payments",
                "rules": [
                  "require-digest",
                ],
                "status": "expiring",
                "workloads": [
                  "CronJob/report-*",
                ],
              },
            ],
            "file": "p2.yaml",
            "name": "tenants",
            "onRegistryError": "deny",
            "rules": [
              {
                "action": "deny",
                "id": "require-digest",
                "mutate": false,
                "rule": "require-digest",
              },
            ],
            "selector": "labels-unknown",
          },
        ],
      }
    `);
    expect(
      set
        .explain('payments', { tenant: 'payments' }, Date.UTC(2027, 0, 20))
        .policies.map((p) => [p.name, p.applies, p.because]),
    ).toMatchInlineSnapshot(`
      [
        [
          "baseline",
          true,
          [
            "namespace glob "*" matches",
          ],
        ],
        [
          "production",
          true,
          [
            "namespace glob "payments" matches",
            "inherits 1 rule from "baseline"",
          ],
        ],
        [
          "tenants",
          true,
          [
            "namespace glob "*" matches",
            "namespaceSelector {tenant=payments} matches",
          ],
        ],
      ]
    `);
  });
});

describe('summaries', () => {
  it('list each policy with its effective rule and exemption counts, by name', () => {
    expect(compile([PROD, BASELINE]).summaries()).toMatchObject([
      { name: 'baseline', namespaces: ['*'], rules: 2, exemptions: 0, file: 'p1.yaml' },
      {
        name: 'production',
        extends: ['baseline'],
        excludeNamespaces: ['prod-sandbox'],
        rules: 3,
        exemptions: 0,
      },
    ]);
  });

  it('count inherited exemptions, and an overridden entry once, whether or not a plan built the instances', () => {
    const exempt = (rule: string) => `\nexemptions:\n  - rules: [${rule}]\n    namespaces: ["*"]`;
    const texts = [
      `${PROD}${exempt('require-digest').replace(/^/gm, '  ')}`,
      `${BASELINE}${exempt('invalid-image').replace(/^/gm, '  ')}`,
    ];
    const counts = (set: CompiledPolicySet) =>
      set.summaries().map(({ name, rules, exemptions }) => ({ name, rules, exemptions }));
    const expected = [
      { name: 'baseline', rules: 2, exemptions: 1 },
      { name: 'production', rules: 3, exemptions: 2 },
    ];
    expect(counts(compile(texts))).toEqual(expected);
    const built = compile(texts);
    expect(built.planFor('prod-web', undefined).rules).toHaveLength(5);
    expect(counts(built)).toEqual(expected);
  });
});
