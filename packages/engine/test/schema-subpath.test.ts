/**
 * The PullPolicy JSON Schema is part of the package's API: `@pullguard/engine/schemas/pullpolicy.schema.json`
 * resolves through the exports map (as an editor integration or another validator would find it),
 * is the very schema the engine validates policies with, and accepts the example policies.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { SCHEMA_CHECK_OPTIONS } from '../src/internals.js';
import { pullPolicySchema } from '../src/policy/policy-schema.js';

const SUBPATH = '@pullguard/engine/schemas/pullpolicy.schema.json';
const require = createRequire(import.meta.url);
const examples = fileURLToPath(new URL('../../../examples/policies/', import.meta.url));

function exampleDocuments(): { file: string; value: unknown }[] {
  return ['baseline.yaml', 'development.yaml', 'production.yaml', 'tenant-payments.yaml'].flatMap((file) =>
    parseAllDocuments(readFileSync(`${examples}${file}`, 'utf8')).map((d) => ({ file, value: d.toJS() })),
  );
}

describe(SUBPATH, () => {
  const resolved = require.resolve(SUBPATH);
  const schema = JSON.parse(readFileSync(resolved, 'utf8')) as Record<string, unknown>;
  const validate = new Ajv2020({ ...SCHEMA_CHECK_OPTIONS }).compile(schema);

  it('resolves through the package name to the schema the engine validates policies with', () => {
    expect(resolved).toBe(fileURLToPath(new URL('../schemas/pullpolicy.schema.json', import.meta.url)));
    expect(schema).toEqual(pullPolicySchema());
    expect(schema['$id']).toBe('https://pullguard.dev/schemas/pullpolicy.schema.json');
  });

  it('accepts every example policy', () => {
    const documents = exampleDocuments();
    expect(documents.length).toBeGreaterThanOrEqual(4);
    for (const { file, value } of documents)
      expect([file, validate(value), validate.errors]).toEqual([file, true, null]);
  });

  it('rejects a policy the engine rejects (a rule entry without `rule`)', () => {
    const [first] = exampleDocuments();
    const broken = structuredClone(first!.value) as { spec: { rules: Record<string, unknown>[] } };
    broken.spec.rules[0] = { action: 'deny' };
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((e) => [e.instancePath, e.keyword])).toContainEqual([
      '/spec/rules/0',
      'required',
    ]);
  });

  it('opens no other file: the exports map closes the rest of the package', () => {
    expect(() => require.resolve('@pullguard/engine/schemas/other.schema.json')).toThrow(
      /not defined by "exports"/,
    );
    expect(() => require.resolve('@pullguard/engine/dist/index.js')).toThrow(/not defined by "exports"/);
  });
});
