/**
 * Broken policies as people write them (test/__fixtures__/invalid-policies/*.yaml) and every
 * problem pullguard reports for each, with file, line, column and field (golden *.errors.txt).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compareDiagnostics, formatDiagnostic } from '../src/errors.js';
import { compilePolicies } from '../src/policy/compile-policies.js';
import { readPolicies } from '../src/policy/load-policies.js';
import { builtinRules } from '../src/rules/index.js';

const cwd = fileURLToPath(new URL('./__fixtures__/invalid-policies/', import.meta.url));
const registry = new Map(builtinRules.map((rule) => [rule.id, rule]));
const fixtures = readdirSync(cwd).filter((file) => file.endsWith('.yaml'));

describe('invalid policies are reported in full', () => {
  it.each(fixtures)('%s', async (file) => {
    const { documents, errors } = await readPolicies([file], { cwd });
    const compiled = compilePolicies(documents, registry);
    const all = [...errors, ...(compiled.ok ? [] : compiled.errors), ...compiled.warnings].sort(
      compareDiagnostics,
    );
    expect(all.filter((d) => d.severity === 'error').length).toBeGreaterThan(0);
    const golden = file.replace(/\.yaml$/, '.errors.txt');
    await expect(`${all.map(formatDiagnostic).join('\n')}\n`).toMatchFileSnapshot(
      `__fixtures__/invalid-policies/${golden}`,
    );
  });
});
