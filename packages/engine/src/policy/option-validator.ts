/**
 * The validator of a rule's `with:` options, compiled once per rule definition for the process:
 * every compile and reload of the policies (and the plugin registry's check of the schema) reuses
 * it. A definition is immutable once registered, so its identity is a sound key; the WeakMap lets
 * validators of plugins that are no longer loaded be collected.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { RuleDefinition } from '../rule-contract.js';

export type OptionValidator = ValidateFunction;

const compiled = new WeakMap<object, OptionValidator | Error>();
let ajv: Ajv2020 | undefined;

/**
 * The options validator of `definition` (it fills in schema defaults), an Error when its schema
 * does not compile, undefined when the rule takes no options.
 */
export function optionValidator(
  definition: RuleDefinition<unknown, unknown>,
): OptionValidator | Error | undefined {
  const schema = definition.options;
  if (!schema) return undefined;
  let validate = compiled.get(definition);
  if (validate === undefined) {
    validate = compileOptionSchema(schema);
    compiled.set(definition, validate);
  }
  return validate;
}

function compileOptionSchema(schema: Record<string, unknown>): OptionValidator | Error {
  // One Ajv for the process: creating one compiles the 2020-12 meta-schema, which costs more than
  // most option schemas. Options schemas are compiled as 2020-12 whatever `$schema` they name
  // (draft-07 reads the same here); `$id` is dropped so that two plugins may reuse one.
  ajv ??= new Ajv2020({ allErrors: true, verbose: true, strict: false, useDefaults: true });
  const { $schema: _schema, $id: _id, ...rest } = schema;
  try {
    const validate = ajv.compile(rest);
    // Ajv keeps every compiled schema in its own cache: the WeakMap above is the only cache wanted.
    ajv.removeSchema(rest);
    return validate;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
