/**
 * JSON Schema checks for any document users or callers write, done as policy files are checked:
 * the engine's ajv setup (2020-12, strict, every error), problems as sentences at field paths
 * (schema-errors.ts), and — for a document given as text — the line and column of each problem
 * (yaml-source.ts; JSON is YAML). The server checks its request bodies with it.
 */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { SourceLocation } from '../types.js';
import { formatFieldPath, type PathSegment } from './field-path.js';
import { lazyAjv, POLICY_VALIDATOR_OPTIONS } from './precompiled-validators.js';
import { describeSchemaErrors, type SchemaMessages, type SchemaProblem } from './schema-errors.js';
import { parseYamlDocuments } from './yaml-source.js';

/** One problem: where (`request.kind`, and the line and column when the text was given) and what. */
export interface LocatedSchemaProblem {
  /** The field path (`objects[2]`, `request.uid`); empty for the document itself. */
  field: string;
  path: PathSegment[];
  message: string;
  location?: SourceLocation | undefined;
}

/** Checks a parsed document; `text`, when given, is what it was parsed from (to locate problems). */
export type SchemaCheck = (data: unknown, text?: string) => LocatedSchemaProblem[];

/**
 * A check against `schema` (JSON Schema 2020-12; self-contained: `$ref`s point into its own
 * `$defs`), compiled once, on first use. `messages` replaces ajv's wording where it would not help.
 */
export function compileSchemaCheck(
  schema: Readonly<Record<string, unknown>>,
  messages?: SchemaMessages,
): SchemaCheck {
  let validate: ValidateFunction | undefined;
  return (data, text) => {
    validate ??= lazyAjv(POLICY_VALIDATOR_OPTIONS).compile(schema);
    if (validate(data)) return [];
    const problems = describeSchemaErrors(validate.errors ?? [], data, messages);
    const locate = text === undefined ? undefined : locator(text);
    return problems.map((problem: SchemaProblem) => ({
      field: formatFieldPath(problem.path),
      path: problem.path,
      message: problem.message,
      ...(locate ? { location: locate(problem.path, problem.atKey === true) } : {}),
    }));
  };
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
