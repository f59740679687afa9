/**
 * The validator of a rule's `with:` options, made once per rule definition for the process:
 * every compile and reload of the policies (and the rule catalog's check of a plugin's schema) reuses
 * it. Built-in rules' validators are generated at build time; other schemas are compiled by ajv.
 * A definition is immutable once registered, so its identity is a sound key; the WeakMap lets
 * validators of plugins that are no longer loaded be collected.
 */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import {
  GENERATED_FILES,
  generatedValidator,
  lazyAjv,
  OPTION_VALIDATOR_OPTIONS,
} from '../documents/precompiled-validators.js';
import type { RuleDefinition } from '../rule-contract.js';

export type OptionValidator = ValidateFunction;

const validators = new WeakMap<object, OptionValidator | Error>();

/**
 * The options validator of `definition` (it fills in schema defaults), an Error when its schema
 * does not compile, undefined when the rule takes no options.
 */
export function optionValidator(
  definition: RuleDefinition<unknown, unknown>,
): OptionValidator | Error | undefined {
  const schema = definition.options;
  if (!schema) return undefined;
  let validate = validators.get(definition);
  if (validate === undefined) {
    const body = optionSchemaBody(schema);
    validate = generatedValidator(GENERATED_FILES.options, definition.id, body) ?? compileOptionSchema(body);
    validators.set(definition, validate);
  }
  return validate;
}

/**
 * Options schemas are compiled as 2020-12 whatever `$schema` they name (draft-07 reads the same
 * here); `$id` is dropped so that two plugins may reuse one.
 */
export function optionSchemaBody(schema: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { $schema: _schema, $id: _id, ...body } = schema;
  return body;
}

function compileOptionSchema(body: Record<string, unknown>): OptionValidator | Error {
  // One Ajv for the process: creating one compiles the 2020-12 meta-schema, which costs more than
  // most option schemas.
  const ajv = lazyAjv(OPTION_VALIDATOR_OPTIONS);
  try {
    const validate = ajv.compile(body);
    // Ajv keeps every compiled schema in its own cache: the WeakMap above is the only cache wanted.
    ajv.removeSchema(body);
    return validate;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
