#!/usr/bin/env node
/**
 * Build step (after tsc, before the bundle): standalone validators for the schemas users' files are
 * checked against (schemas/*.schema.json, each named after its file: `config`, `policy-test`…),
 * with the engine's code generator and ajv options, made self-contained as the CLI makes them
 * (src/config/user-file-schemas.ts). Written to dist/generated/ (what the CLI runs) and
 * src/generated/ (what its tests run; test/global-setup.ts also writes it). The CLI uses a
 * validator only when it was generated from exactly the schema in hand: a stale file costs time,
 * never correctness.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SCHEMA_CHECK_OPTIONS, selfContainedSchema } from '@pullguard/engine/internals';
// The engine's build tool, shared by path: it is not part of the engine's API.
import { writeValidatorModules } from '../../engine/scripts/validator-codegen.mjs';

const root = new URL('..', import.meta.url);
const SUFFIX = '.schema.json';

/** The ValidatorSource (engine scripts/validator-codegen.mjs) of the CLI's schemas. */
export function userFileValidators() {
  const dir = new URL('schemas/', root);
  const read = (file) => JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
  const files = readdirSync(dir).filter((file) => file.endsWith(SUFFIX));
  return {
    file: 'user-file-validators.cjs',
    options: SCHEMA_CHECK_OPTIONS,
    schemas: Object.fromEntries(
      files.map((file) => [file.slice(0, -SUFFIX.length), selfContainedSchema(read(file), read)]),
    ),
  };
}

export function generateValidators(dirs) {
  writeValidatorModules([userFileValidators()], dirs);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  generateValidators([
    fileURLToPath(new URL('src/generated/', root)),
    fileURLToPath(new URL('dist/generated/', root)),
  ]);
}
