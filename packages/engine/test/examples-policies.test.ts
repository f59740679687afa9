/**
 * The example policies users copy from (examples/policies) load and compile with the real
 * built-in rules, and govern the example namespaces as their comments say.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../src/errors.js';
import { compilePolicies } from '../src/policy/compile-policies.js';
import { readPolicies } from '../src/policy/load-policies.js';
import { parseNamespacesFile } from '../src/policy/namespaces-file.js';
import { builtinRules } from '../src/rules/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const registry = new Map(builtinRules.map((rule) => [rule.id, rule]));
const NOW = Date.UTC(2026, 10, 25);

async function examples() {
  const { documents, errors } = await readPolicies(['examples/policies'], { cwd: root });
  expect(errors.map(formatDiagnostic)).toEqual([]);
  const result = compilePolicies(documents, registry, { now: NOW });
  if (!result.ok) throw new Error(result.errors.map(formatDiagnostic).join('\n'));
  expect(result.warnings.map(formatDiagnostic)).toEqual([]);
  return { documents, set: result.set };
}

const namespaces = parseNamespacesFile(
  readFileSync(`${root}examples/manifests/namespaces.yaml`, 'utf8'),
  'examples/manifests/namespaces.yaml',
);

describe('examples/policies', () => {
  it('load and compile with the built-in rules, without errors or warnings', async () => {
    const { documents } = await examples();
    expect(documents.map((d) => d.name)).toEqual([
      'baseline',
      'development',
      'production',
      'tenant-payments',
    ]);
    expect(namespaces.errors).toEqual([]);
  });

  it('govern each example namespace by the policies their comments describe', async () => {
    const { set } = await examples();
    const governing = (namespace: string) => {
      const labels = namespaces.labels[namespace];
      const plan = set.planFor(namespace, labels);
      return [...new Set(plan.rules.map((rule) => rule.policy))];
    };
    expect(governing('prod-a')).toEqual(['baseline', 'production']);
    expect(governing('team-payments')).toEqual(['baseline', 'tenant-payments']);
    expect(governing('dev-x')).toEqual(['baseline', 'development']);
    expect(governing('default')).toEqual(['baseline']);
    expect(governing('prod-sandbox')).toEqual(['baseline']);
  });

  it('explain the example namespaces (golden file)', async () => {
    const { set } = await examples();
    const explained = ['prod-a', 'team-payments', 'dev-x', 'prod-sandbox', 'unlabelled'].map((namespace) =>
      set.explain(namespace, namespaces.labels[namespace], NOW),
    );
    await expect(`${JSON.stringify(explained, null, 2)}\n`).toMatchFileSnapshot(
      '__golden__/examples-explain.json',
    );
  });
});
