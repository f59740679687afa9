/**
 * The policy compiler with the real built-in rules: their option schemas, `prepare` problems and
 * warnings arrive as diagnostics at the field of the policy that caused them.
 */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../src/errors.js';
import { compilePolicies } from '../src/policy/compile-policies.js';
import { parsePolicies } from '../src/policy/parse-policies.js';
import { builtinRules } from '../src/rules/index.js';

const registry = new Map(builtinRules.map((rule) => [rule.id, rule]));

function compile(rules: string) {
  const text = `apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata: { name: p }\nspec:\n  namespaces: ["*"]\n  rules:\n${rules}`;
  const { documents, errors } = parsePolicies([{ text, file: 'p.yaml' }]);
  expect(errors).toEqual([]);
  const result = compilePolicies(documents, registry);
  return {
    ok: result.ok,
    errors: result.ok ? [] : result.errors.map(formatDiagnostic),
    warnings: result.warnings.map(formatDiagnostic),
  };
}

describe('compiling policies with the built-in rules', () => {
  it('reports invalid registry patterns at their list item and keeps pattern warnings as warnings', () => {
    const result = compile(
      '    - rule: allowed-registries\n      with:\n        registries: ["registry.acme.io/", "registry.acme.io/app:1.0", "ghcr.io"]\n',
    );
    expect(result.errors).toEqual([
      'p.yaml:9:43: POLICY_BAD_PATTERN invalid image pattern "registry.acme.io/app:1.0": a pattern names repositories, not tags (\':\' at offset 20) (at spec.rules[0].with.registries[1])',
    ]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(
      /^p\.yaml:9:71: POLICY_BAD_PATTERN ghcr\.io has no '\/'.*\(at spec\.rules\[0\]\.with\.registries\[2\]\)$/,
    );
  });

  it('loads the tag patterns that used to hang matching, and locates what RE2 cannot express', () => {
    for (const pattern of [
      '(((((a{0,3}){3}){3}){3}){3})b',
      `${'a{0,40}'.repeat(12)}b`,
      `${'[a-z0-9]*'.repeat(6)}b`,
    ]) {
      expect(compile(`    - rule: allowed-tags\n      with: { pattern: "${pattern}" }\n`)).toMatchObject({
        ok: true,
      });
    }
    expect(compile('    - rule: allowed-tags\n      with: { pattern: "v(?=1)[0-9]+" }\n').errors).toEqual([
      'p.yaml:8:24: POLICY_BAD_PATTERN tag pattern "v(?=1)[0-9]+": lookaround `(?=` at offset 1: RE2 has no lookarounds (at spec.rules[0].with.pattern)',
    ]);
  });

  it('reports bad JSON Logic where it is written in `when`', () => {
    const result = compile(
      '    - rule: expression\n      id: bad\n      when: { "and": [ { "var": "image.name" }, { "eval": [1] } ] }\n',
    );
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      /^p\.yaml:\d+:\d+: POLICY_BAD_EXPRESSION .*\(at spec\.rules\[0\]\.when\.and\[1\]/,
    );
  });

  it('validates options against the rule schema (missing required options included)', () => {
    expect(compile('    - rule: allowed-tags\n').errors).toEqual([
      'p.yaml:7:7: POLICY_BAD_OPTIONS missing required field "pattern" (at spec.rules[0].with.pattern)',
    ]);
  });

  it('compiles every built-in rule with valid options', () => {
    const result = compile(
      [
        '    - rule: require-digest',
        '    - rule: require-explicit-pull-policy',
        '    - rule: allowed-pull-policies',
        '      with: { policies: [Always] }',
        '    - rule: disallow-latest',
        '    - rule: mutable-tags-require-always',
        '      mutate: true',
        '    - rule: allowed-registries',
        '      with: { registries: ["registry.acme.io/"] }',
        '    - rule: denied-registries',
        '      with: { registries: ["evil.example/"] }',
        '    - rule: allowed-tags',
        '      with: { pattern: "v?[0-9]+\\\\.[0-9]+\\\\.[0-9]+" }',
        '    - rule: restrict-never',
        '      with: { images: ["registry.acme.io/preloaded/"] }',
        '    - rule: private-images',
        '      with: { registries: ["registry.acme.io/private/"] }',
        '    - rule: invalid-image',
        '    - rule: expression',
        '      id: no-busybox',
        '      when: { "==": [{ "var": "image.name" }, "docker.io/library/busybox"] }',
        '',
      ].join('\n'),
    );
    expect(result).toEqual({ ok: true, errors: [], warnings: [] });
  });
});
