/**
 * JSON Schema checks for any document users or callers write, done as policy files are checked:
 * the engine's ajv setup (2020-12, strict, every error), problems as sentences at field paths
 * (schema-errors.ts), and — for a document given as text — the line and column of each problem
 * (yaml-source.ts; JSON is YAML). The server checks its request bodies with it, the CLI the files
 * users write (user-document.ts).
 */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { SourceLocation } from '../types.js';
import { formatFieldPath, type PathSegment } from './field-path.js';
import {
  type GeneratedValidators,
  lazyAjv,
  POLICY_VALIDATOR_OPTIONS,
  pickGenerated,
} from './precompiled-validators.js';
import { describeSchemaErrors, type SchemaMessages, type SchemaProblem } from './schema-errors.js';
import { parseYamlDocuments } from './yaml-source.js';

/** One problem: where (`request.kind`, and the line and column when the text was given) and what. */
export interface LocatedSchemaProblem {
  /** The field path (`objects[2]`, `request.uid`); empty for the document itself. */
  field: string;
  path: PathSegment[];
  message: string;
  /** The problem is the field's name (an unknown field), not its value. */
  atKey?: boolean | undefined;
  location?: SourceLocation | undefined;
}

/** Checks a parsed document; `text`, when given, is what it was parsed from (to locate problems). */
export type SchemaCheck = (data: unknown, text?: string) => LocatedSchemaProblem[];

/**
 * The ajv options of every schema check. Validators generated at build time for a check
 * (scripts/validator-codegen.mjs, `precompiled` below) must be generated with exactly these.
 */
export const SCHEMA_CHECK_OPTIONS = POLICY_VALIDATOR_OPTIONS;

export interface SchemaCheckOptions {
  /** Replaces ajv's wording where it would not help. */
  messages?: SchemaMessages | undefined;
  /**
   * Standalone validators generated at build time (a module of scripts/validator-codegen.mjs) and
   * the name of this schema's: used only when generated from exactly this schema, so that a check
   * costs no ajv load and compilation (tens of milliseconds at a command's start).
   */
  precompiled?: { load: () => GeneratedValidators | undefined; name: string } | undefined;
}

/**
 * A check against `schema` (JSON Schema 2020-12; self-contained: every `$ref` points into the
 * schema itself, its `$defs` or resources embedded there with their `$id`), compiled once, on
 * first use.
 */
export function compileSchemaCheck(
  schema: Readonly<Record<string, unknown>>,
  options: SchemaCheckOptions = {},
): SchemaCheck {
  let validate: ValidateFunction | undefined;
  return (data, text) => {
    validate ??= validatorFor(schema, options.precompiled);
    if (validate(data)) return [];
    const problems = describeSchemaErrors(validate.errors ?? [], data, options.messages);
    const locate = text === undefined ? undefined : locator(text);
    return problems.map((problem: SchemaProblem) => ({
      field: formatFieldPath(problem.path),
      path: problem.path,
      message: problem.message,
      atKey: problem.atKey,
      ...(locate ? { location: locate(problem.path, problem.atKey === true) } : {}),
    }));
  };
}

/**
 * `schema` with the schema files it refers to (`"$ref": "other.schema.json"`: resolved against its
 * `$id`, as editors resolve it against its location) embedded in its `$defs`, where ajv finds each
 * by its own `$id`: self-contained, as compileSchemaCheck takes it. `read` gives a file's schema.
 */
export function selfContainedSchema(
  schema: Readonly<Record<string, unknown>>,
  read: (file: string) => Record<string, unknown>,
): Record<string, unknown> {
  const embedded: Record<string, unknown> = {};
  const embed = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key !== '$ref' || typeof value !== 'string') embed(value);
      else if (value.endsWith('.schema.json') && !Object.hasOwn(embedded, value)) {
        embedded[value] = read(value);
        embed(embedded[value]);
      }
    }
  };
  embed(schema);
  if (Object.keys(embedded).length === 0) return { ...schema };
  return { ...schema, $defs: { ...(schema['$defs'] as Record<string, unknown> | undefined), ...embedded } };
}

function validatorFor(
  schema: Readonly<Record<string, unknown>>,
  precompiled: SchemaCheckOptions['precompiled'],
): ValidateFunction {
  const generated = precompiled && pickGenerated(precompiled.load(), precompiled.name, schema);
  if (generated) return generated;
  const ajv = lazyAjv(SCHEMA_CHECK_OPTIONS);
  // A schema another one embeds (same `$id`, same content) is already known to this ajv.
  const id = schema['$id'];
  return (typeof id === 'string' ? ajv.getSchema(id) : undefined) ?? ajv.compile(schema);
}

/** Where field paths are in a JSON or YAML text of one document (undefined when it does not parse). */
function locator(
  text: string,
): ((path: readonly PathSegment[], atKey: boolean) => SourceLocation) | undefined {
  const parsed = parseYamlDocuments(text, undefined);
  const document = parsed.documents[0];
  if (document === undefined) return undefined;
  return (path, atKey) => {
    const { line, column } = document.locate(path, atKey);
    return { line, column };
  };
}

export type { SchemaMessages } from './schema-errors.js';
