/**
 * The PullPolicy JSON Schema (packages/engine/schemas/pullpolicy.schema.json — the same file
 * editors use through `# yaml-language-server: $schema=…`). Its validator is generated at build
 * time (precompiled-validators.ts); ajv compiles it, once per process, only when that is missing.
 */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import {
  GENERATED_FILES,
  generatedValidator,
  lazyAjv,
  POLICY_VALIDATOR_OPTIONS,
} from '../documents/precompiled-validators.js';
import { describeSchemaErrors, type SchemaMessages, type SchemaProblem } from '../documents/schema-errors.js';
import { readPolicySchema } from './package-files.js';

const MESSAGES: SchemaMessages = (error, path) => {
  const last = path[path.length - 1];
  if (error.keyword === 'anyOf' && path.length === 1 && last === 'spec') {
    return 'a policy needs `namespaces` (["*"] for every namespace, [] for none) or `namespaceSelector`';
  }
  if (error.keyword === 'anyOf' && path[1] === 'exemptions' && path.length === 3) {
    return 'an exemption must be narrowed by `images`, `namespaces` or `workloads`';
  }
  if (error.keyword === 'required' && error.schemaPath === '#/then/required' && path[1] === 'rules') {
    return 'an expression rule needs `id` and `when`';
  }
  if (error.keyword === 'false schema' && last === 'when' && path[1] === 'rules') {
    return '`when` is only allowed on `rule: expression` entries';
  }
  return undefined;
};

let validator: ValidateFunction | undefined;

export function pullPolicySchema(): Record<string, unknown> {
  return readPolicySchema();
}

/** The name of the PullPolicy validator in its generated file. */
export const POLICY_VALIDATOR_NAME = 'PullPolicy';

function policyValidator(): ValidateFunction {
  const schema = pullPolicySchema();
  return (
    generatedValidator(GENERATED_FILES.policy, POLICY_VALIDATOR_NAME, schema) ??
    lazyAjv(POLICY_VALIDATOR_OPTIONS).compile(schema)
  );
}

/** Schema problems of one document; empty when it is a valid PullPolicy. */
export function validatePolicyDocument(data: unknown): SchemaProblem[] {
  validator ??= policyValidator();
  if (validator(data)) return [];
  return describeSchemaErrors(validator.errors ?? [], data, MESSAGES);
}
