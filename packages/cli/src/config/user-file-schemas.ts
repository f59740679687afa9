/**
 * The JSON Schemas of the files users write for the CLI — the config file, policy tests, registry
 * fixtures — in packages/cli/schemas/ (shipped, so that editors complete them through
 * `# yaml-language-server: $schema=…`, docs/cli.md#editor-support). They are checked with the
 * engine's ajv setup, as policies are (compileSchemaCheck); their validators are generated at build
 * time (scripts/generate-validators.mjs), so a command that reads a config pays no ajv start-up.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  compileSchemaCheck,
  type GeneratedValidators,
  type SchemaCheck,
  type SchemaMessages,
  selfContainedSchema,
} from '@pullguard/engine/internals';

/** Validator name → schema file (scripts/generate-validators.mjs names each after its file too). */
export const USER_FILE_SCHEMAS = {
  config: 'config.schema.json',
  'policy-test': 'policy-test.schema.json',
  'registry-fixtures': 'registry-fixtures.schema.json',
} as const;

export type UserFileSchema = keyof typeof USER_FILE_SCHEMAS;

// Both src/config/ and dist/config/ sit two levels below the package root, and next to generated/.
const SCHEMAS = new URL('../../schemas/', import.meta.url);
/** Written by scripts/generate-validators.mjs. */
export const GENERATED_FILE = 'user-file-validators.cjs';
const require = createRequire(import.meta.url);

type Schema = Record<string, unknown>;

function readSchema(file: string): Schema {
  return JSON.parse(readFileSync(new URL(file, SCHEMAS), 'utf8')) as Schema;
}

/** The schema of `name`, self-contained (the fixtures schema embedded in the policy test's). */
export function userFileSchema(name: UserFileSchema): Schema {
  return selfContainedSchema(readSchema(USER_FILE_SCHEMAS[name]), readSchema);
}

export function loadGeneratedValidators(): GeneratedValidators | undefined {
  try {
    return require(`../generated/${GENERATED_FILE}`) as GeneratedValidators;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

/** The check of one kind of file; its schema is read and its validator loaded on first use. */
export function userFileCheck(name: UserFileSchema, messages?: SchemaMessages): SchemaCheck {
  let check: SchemaCheck | undefined;
  return (data, text) => {
    check ??= compileSchemaCheck(userFileSchema(name), {
      messages,
      precompiled: { load: loadGeneratedValidators, name },
    });
    return check(data, text);
  };
}
