/**
 * What scripts/validator-codegen.mjs generates validators for: the PullPolicy schema and the
 * built-in rules' options schemas, each with the ajv options the engine validates it with. Read
 * by the build (from dist/) and by the test setup (from src/); the engine itself never imports it.
 */

import {
  GENERATED_FILES,
  OPTION_VALIDATOR_OPTIONS,
  POLICY_VALIDATOR_OPTIONS,
} from '../documents/precompiled-validators.js';
import { builtinRules } from '../rules/index.js';
import { optionSchemaBody } from './option-validator.js';
import { POLICY_VALIDATOR_NAME, pullPolicySchema } from './policy-schema.js';

export interface ValidatorSource {
  /** File name under generated/. */
  file: string;
  options: Readonly<Record<string, unknown>>;
  /** Validator name → schema. */
  schemas: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export function validatorSources(): ValidatorSource[] {
  const options: Record<string, Record<string, unknown>> = {};
  for (const rule of builtinRules) if (rule.options) options[rule.id] = optionSchemaBody(rule.options);
  return [
    {
      file: GENERATED_FILES.policy,
      options: POLICY_VALIDATOR_OPTIONS,
      schemas: { [POLICY_VALIDATOR_NAME]: pullPolicySchema() },
    },
    { file: GENERATED_FILES.options, options: OPTION_VALIDATOR_OPTIONS, schemas: options },
  ];
}
