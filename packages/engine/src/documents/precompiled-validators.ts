/**
 * JSON Schema validators: generated at build time as standalone code (ajv `standalone`, see
 * scripts/validator-codegen.mjs; written to src/generated/ before tests and into dist/generated/
 * by the build), so that checking a policy file costs no schema compilation and ajv itself is
 * loaded only for what was not generated (a plugin rule's options schema). A generated validator
 * is used only when the schema it was generated from equals the schema in hand, so a stale or
 * missing generated file costs time, never correctness.
 */
import type { Ajv2020, Options, ValidateFunction } from 'ajv/dist/2020.js';
import { loadAjv, loadGeneratedValidators } from '../policy/package-files.js';

/**
 * The validator options of the PullPolicy schema and of every other schema of ours (schema-check.ts):
 * strict, since the schemas are ours and must be exact; union types (`"type": ["string", "array"]`)
 * allowed, for fields that take one value or a list of them.
 */
export const POLICY_VALIDATOR_OPTIONS: Readonly<Options> = {
  allErrors: true,
  verbose: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
};

/** Rule options validators fill in schema defaults; plugin schemas are not held to strict mode. */
export const OPTION_VALIDATOR_OPTIONS: Readonly<Options> = {
  allErrors: true,
  verbose: true,
  strict: false,
  useDefaults: true,
};

/** What scripts/validator-codegen.mjs writes: validators and the JSON of the schema each came from. */
export interface GeneratedValidators {
  validators: Readonly<Record<string, ValidateFunction>>;
  schemas: Readonly<Record<string, string>>;
}

export const GENERATED_FILES = {
  policy: 'pullpolicy-validator.cjs',
  options: 'builtin-option-validators.cjs',
} as const;

const loaded = new Map<string, GeneratedValidators | undefined>();

/** The engine's generated validator named `name` in `file`, when it was generated from exactly `schema`. */
export function generatedValidator(
  file: string,
  name: string,
  schema: Readonly<Record<string, unknown>>,
): ValidateFunction | undefined {
  let module = loaded.get(file);
  if (!loaded.has(file)) {
    module = loadGeneratedValidators(file);
    loaded.set(file, module);
  }
  return pickGenerated(module, name, schema);
}

/** The validator named `name` of a generated module, when it was generated from exactly `schema`. */
export function pickGenerated(
  module: GeneratedValidators | undefined,
  name: string,
  schema: Readonly<Record<string, unknown>>,
): ValidateFunction | undefined {
  if (module === undefined || !Object.hasOwn(module.validators, name)) return undefined;
  return module.schemas[name] === JSON.stringify(schema) ? module.validators[name] : undefined;
}

const instances = new Map<Readonly<Options>, Ajv2020>();

/** An Ajv with `options`, loaded and created on first use (one per options object for the process). */
export function lazyAjv(options: Readonly<Options>): Ajv2020 {
  let ajv = instances.get(options);
  if (ajv === undefined) {
    const { Ajv2020: Ajv } = loadAjv();
    ajv = new Ajv({ ...options });
    instances.set(options, ajv);
  }
  return ajv;
}
