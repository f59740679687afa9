import { describe, expect, it } from 'vitest';
import { userFileValidators } from '../../scripts/generate-validators.mjs';
import { CHECK_FORMATS, FAIL_ON } from '../format/formats.js';
import { ACTIONS_FOR_TESTS } from '../policy-test/expectations.js';
import { MUTATION_FIELDS } from '../policy-test/test-file.js';
import { RULE_TIMEOUT_MAX_MS } from './rule-timeout.js';
import {
  GENERATED_FILE,
  loadGeneratedValidators,
  USER_FILE_SCHEMAS,
  type UserFileSchema,
  userFileSchema,
} from './user-file-schemas.js';

describe('the schemas of the files users write', () => {
  it('have validators generated at build time, used (not compiled) because generated from these very schemas', () => {
    const source = userFileValidators();
    expect(source.file).toBe(GENERATED_FILE);
    expect(Object.keys(source.schemas).sort()).toEqual(Object.keys(USER_FILE_SCHEMAS).sort());
    const generated = loadGeneratedValidators();
    for (const name of Object.keys(USER_FILE_SCHEMAS) as UserFileSchema[]) {
      expect(generated?.schemas[name], name).toBe(JSON.stringify(userFileSchema(name)));
      expect(generated?.validators[name], name).toBeTypeOf('function');
    }
  });

  it('embed the fixtures schema in the policy test schema, as editors resolve its $ref', () => {
    const test = userFileSchema('policy-test');
    expect((test['$defs'] as Record<string, unknown>)['registry-fixtures.schema.json']).toEqual(
      userFileSchema('registry-fixtures'),
    );
  });

  it('take the values the CLI takes (one list each, the schema checked against it)', () => {
    const config = userFileSchema('config') as {
      properties: Record<string, { enum?: unknown[]; maximum?: number }>;
    };
    expect(config.properties['format']?.enum).toEqual([...CHECK_FORMATS]);
    expect(config.properties['failOn']?.enum).toEqual([...FAIL_ON]);
    expect(config.properties['ruleTimeoutMs']?.maximum).toBe(RULE_TIMEOUT_MAX_MS);
    const defs = userFileSchema('policy-test')['$defs'] as Record<
      string,
      { properties: Record<string, { enum?: unknown[] }> }
    >;
    expect(defs['finding']?.properties['action']?.enum).toEqual([...ACTIONS_FOR_TESTS]);
    expect(defs['mutation']?.properties['field']?.enum).toEqual([...MUTATION_FIELDS]);
  });
});
