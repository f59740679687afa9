import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../errors.js';
import { parsePolicies } from './parse-policies.js';

const parse = (text: string) => parsePolicies([{ text, file: 'policies.yaml' }]);
const messages = (text: string) => parse(text).errors.map(formatDiagnostic);

const PRODUCTION = `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata:
  name: production
spec:
  namespaces: ["prod-*", "payments"]
  excludeNamespaces: ["prod-sandbox"]
  namespaceSelector: { matchLabels: { tier: prod } }
  extends: [baseline]
  action: deny
  rules:
    - rule: require-digest
    - rule: allowed-registries
      with: { registries: ["registry.acme.io/"] }
    - rule: require-explicit-pull-policy
      action: warn
    - rule: expression
      id: no-busybox
      message: "busybox is not allowed here"
      when: { "==": [ { "var": "image.name" }, "docker.io/library/busybox" ] }
  exemptions:
    - rules: [require-digest]
      images: ["registry.acme.io/tools/**"]
      expires: "2027-01-31"
      owner: platform-team
      reason: "TICKET-123"
`;

describe('parsePolicies', () => {
  it('turns a valid PullPolicy into a document with fields, entries and locations', () => {
    const { documents, errors } = parse(PRODUCTION);
    expect(errors).toEqual([]);
    const [doc] = documents;
    expect(doc).toMatchObject({
      name: 'production',
      file: 'policies.yaml',
      location: { line: 1, column: 1 },
      namespaces: ['prod-*', 'payments'],
      excludeNamespaces: ['prod-sandbox'],
      namespaceSelector: { matchLabels: { tier: 'prod' } },
      extends: ['baseline'],
      action: 'deny',
      declaredAction: 'deny',
    });
    expect(doc?.rules.map((r) => [r.rule, r.id, r.field, r.location?.line])).toEqual([
      ['require-digest', undefined, 'spec.rules[0]', 12],
      ['allowed-registries', undefined, 'spec.rules[1]', 13],
      ['require-explicit-pull-policy', undefined, 'spec.rules[2]', 15],
      ['expression', 'no-busybox', 'spec.rules[3]', 17],
    ]);
    expect(doc?.rules[1]?.with).toEqual({ registries: ['registry.acme.io/'] });
    expect(doc?.exemptions[0]).toMatchObject({
      rules: ['require-digest'],
      field: 'spec.exemptions[0]',
      owner: 'platform-team',
    });
  });

  it('locates any field of a document', () => {
    const [doc] = parse(PRODUCTION).documents;
    expect(doc?.locate('spec.rules[1].with.registries[0]')).toEqual({
      file: 'policies.yaml',
      line: 14,
      column: 28,
    });
    expect(doc?.locate('spec.rules[2].action')).toMatchObject({ line: 16, column: 15 });
    // A missing field is located at its nearest ancestor.
    expect(doc?.locate('spec.rules[2].with')).toMatchObject({ line: 15, column: 7 });
  });

  it('reads every document of a multi-document file and JSON files alike', () => {
    const yaml = `${PRODUCTION}---\n${PRODUCTION.replace('name: production', 'name: other')}`;
    const json = JSON.stringify({
      apiVersion: 'pullguard.dev/v1',
      kind: 'PullPolicy',
      metadata: { name: 'from-json' },
      spec: { namespaces: ['*'], rules: [{ rule: 'disallow-latest' }] },
    });
    const { documents, errors } = parsePolicies([
      { text: yaml, file: 'a.yaml' },
      { text: json, file: 'b.json' },
    ]);
    expect(errors).toEqual([]);
    expect(documents.map((d) => [d.name, d.file])).toEqual([
      ['production', 'a.yaml'],
      ['other', 'a.yaml'],
      ['from-json', 'b.json'],
    ]);
  });

  it('applies a selector-only policy to the namespaces its selector matches (namespaces = "*")', () => {
    const [doc] = parse(`apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: tenants }
spec:
  namespaceSelector: { matchLabels: { tenant: payments } }
`).documents;
    expect(doc).toMatchObject({ namespaces: ['*'], action: 'deny', declaredAction: undefined, rules: [] });
  });

  it('reports every schema problem with its field, line and column, sorted', () => {
    expect(
      messages(`apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: Bad_Name }
spec:
  namespaces: ["*"]
  action: block
  rules:
    - rule: require-digest
      mutate: "yes"
    - rule: expression
      message: no id here
    - rule: disallow-latest
      when: { "var": "image.tag" }
    - rules: disallow-latest
  exemption: []
`),
    ).toEqual([
      'policies.yaml:3:19: POLICY_SCHEMA "Bad_Name" is not valid: must be a DNS subdomain: lowercase letters, digits, "-" and ".", starting and ending alphanumeric (at metadata.name)',
      'policies.yaml:6:11: POLICY_SCHEMA must be one of deny, warn, audit (found "block") (at spec.action)',
      'policies.yaml:9:15: POLICY_SCHEMA must be a boolean (found string "yes") (at spec.rules[0].mutate)',
      'policies.yaml:10:7: POLICY_SCHEMA an expression rule needs `id` and `when` (at spec.rules[1].id)',
      'policies.yaml:10:7: POLICY_SCHEMA an expression rule needs `id` and `when` (at spec.rules[1].when)',
      'policies.yaml:13:7: POLICY_SCHEMA `when` is only allowed on `rule: expression` entries (at spec.rules[2].when)',
      'policies.yaml:14:7: POLICY_SCHEMA missing required field "rule" (at spec.rules[3].rule)',
      'policies.yaml:14:7: POLICY_SCHEMA unknown field "rules" (did you mean "rule"?) (at spec.rules[3].rules)',
      'policies.yaml:15:3: POLICY_SCHEMA unknown field "exemption" (did you mean "exemptions"?) (at spec.exemption)',
    ]);
  });

  it('reads onRegistryError, one of deny, warn, allow', () => {
    const policy = (mode: string) => `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: p }
spec:
  namespaces: ["*"]
  onRegistryError: ${mode}
`;
    expect(parse(policy('warn')).documents[0]?.onRegistryError).toBe('warn');
    expect(messages(policy('ignore'))).toEqual([
      'policies.yaml:6:20: POLICY_SCHEMA must be one of deny, warn, allow (found "ignore") (at spec.onRegistryError)',
    ]);
  });

  it('requires a scope: namespaces or a namespaceSelector', () => {
    expect(
      messages('apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata: { name: a }\nspec:\n  rules: []\n'),
    ).toEqual([
      'policies.yaml:4:1: POLICY_SCHEMA a policy needs `namespaces` (["*"] for every namespace, [] for none) or `namespaceSelector` (at spec)',
    ]);
  });

  it('names foreign documents instead of listing what they lack', () => {
    expect(messages('apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n')).toEqual([
      'policies.yaml:2:7: POLICY_SCHEMA kind "Deployment" is not allowed in a policy file: only PullPolicy documents (at kind)',
    ]);
    expect(messages('apiVersion: pullguard.dev/v2\nkind: PullPolicy\n')).toEqual([
      'policies.yaml:1:13: POLICY_SCHEMA apiVersion "pullguard.dev/v2" is not supported: use pullguard.dev/v1 (at apiVersion)',
    ]);
    expect(messages('- just\n- a list\n')).toEqual([
      'policies.yaml:1:1: POLICY_SCHEMA a policy document must be a map with apiVersion, kind, metadata and spec',
    ]);
  });

  it('reports YAML syntax errors and duplicate keys with their position, and keeps the other documents', () => {
    const text = `${PRODUCTION}---\nkind: PullPolicy\nkind: PullPolicy\n---\nfoo: [unclosed\n`;
    const { documents, errors } = parse(text);
    expect(documents.map((d) => d.name)).toEqual(['production']);
    expect(errors.map((e) => [e.code, e.location?.line])).toEqual([
      ['POLICY_SYNTAX', 29],
      ['POLICY_SYNTAX', 32],
    ]);
    expect(errors[0]?.message).toMatch(/unique/);
  });

  it('rejects a second entry with the same instance id in one policy', () => {
    expect(
      messages(`apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: a }
spec:
  namespaces: ["*"]
  rules:
    - rule: require-digest
    - rule: require-digest
      action: warn
`),
    ).toEqual([
      'policies.yaml:8:13: POLICY_SCHEMA rule instance "require-digest" is already defined at spec.rules[0] (line 7): give one of them a distinct `id` (at spec.rules[1].rule)',
    ]);
  });

  it('bounds alias expansion ("billion laughs") and file size', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      ...Array.from({ length: 8 }, (_, i) => {
        const prev = String.fromCharCode(97 + i);
        const name = String.fromCharCode(98 + i);
        return `${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`;
      }),
    ].join('\n');
    expect(parse(bomb).errors[0]).toMatchObject({
      code: 'POLICY_SYNTAX',
      message: expect.stringMatching(/alias/i),
    });
    const big = parsePolicies([{ text: 'x'.repeat(101), file: 'big.yaml' }], { maxFileBytes: 100 });
    expect(big.errors.map(formatDiagnostic)).toEqual([
      'big.yaml:1:1: POLICY_SYNTAX the file is larger than 100 characters',
    ]);
  });

  it('keeps "__proto__" keys as data', () => {
    const { errors } = parse(`apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: a }
spec:
  namespaces: ["*"]
  __proto__: { polluted: true }
`);
    expect(errors.map((e) => e.message)).toEqual([
      'unknown field "__proto__" (expected one of: namespaces, excludeNamespaces, namespaceSelector, extends, action, onRegistryError, rules, exemptions)',
    ]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('treats an empty file or empty documents as no policies', () => {
    expect(parse('')).toEqual({ documents: [], errors: [] });
    expect(parse('---\n# nothing\n---\n')).toEqual({ documents: [], errors: [] });
  });
});
