/**
 * Files users write by hand besides policies — the CLI's config, policy tests, registry fixtures,
 * pull secrets — read the way policy files are: YAML (or JSON) with the way back to every field's
 * line and column (yaml-source.ts), checked against the file's JSON Schema (schema-check.ts), and
 * every problem a `code` error at file:line:column naming the field. One problem is thrown as a
 * PullguardError, several as one PullguardAggregateError listing them all.
 */
import { type Diagnostic, type ErrorCode, PullguardAggregateError, PullguardError } from '../errors.js';
import type { SourceLocation } from '../types.js';
import { formatFieldPath, type PathSegment } from './field-path.js';
import type { SchemaCheck } from './schema-check.js';
import { parseYamlDocuments, type YamlDocument } from './yaml-source.js';

export interface UserDocument {
  readonly file: string | undefined;
  readonly value: unknown;
  /** Where the field at `path` is written (its name with `atKey`), or its nearest written ancestor. */
  locate(path: readonly PathSegment[], atKey?: boolean): SourceLocation;
  /** A problem at `path`, found after the schema check, as this file's `code` diagnostic. */
  problem(path: readonly PathSegment[], message: string, atKey?: boolean): Diagnostic;
}

export interface UserDocumentOptions {
  /** The code of every problem (CONFIG_INVALID, TEST_INVALID). */
  code: ErrorCode;
  /** What the file is, for messages: "config file". */
  what: string;
  /** The file's JSON Schema (compileSchemaCheck). */
  check?: SchemaCheck | undefined;
  /** The value of a file that holds no document (empty, or only comments); default null. */
  empty?: unknown;
}

/**
 * Every document of a file (a `---`-separated stream, as `kubectl get -o yaml` of several objects
 * prints) and every problem: syntax (warnings included), and the schema's when `check` is given.
 * For files whose good parts are used despite bad ones (the namespaces file).
 */
export function readUserDocuments(
  text: string,
  file: string | undefined,
  options: Pick<UserDocumentOptions, 'code' | 'check'>,
): { documents: UserDocument[]; problems: Diagnostic[] } {
  const parsed = parseYamlDocuments(text, file, { syntaxCode: options.code });
  const documents = parsed.documents.map((yaml) => userDocument(yaml.value, file, options.code, yaml.locate));
  const problems = [
    ...parsed.errors,
    ...documents.flatMap((document) => schemaProblems(document, options.check)),
  ];
  return { documents, problems };
}

/** Every document of a file; any problem throws (see throwProblems). */
export function parseUserDocuments(
  text: string,
  file: string | undefined,
  options: Omit<UserDocumentOptions, 'empty'>,
): UserDocument[] {
  const { documents, problems } = readUserDocuments(text, file, options);
  throwProblems(
    options.what,
    problems.filter((p) => p.severity === 'error'),
  );
  return documents;
}

/** A file of exactly one document (a second one is a mistake, located where it starts). */
export function parseUserDocument(
  text: string,
  file: string | undefined,
  options: UserDocumentOptions,
): UserDocument {
  const parsed = parseYamlDocuments(text, file, { syntaxCode: options.code });
  const errors = parsed.errors.filter((e) => e.severity === 'error');
  const [yaml, second] = parsed.documents;
  if (second !== undefined) {
    errors.push({
      code: options.code,
      message: `a ${options.what} holds one YAML document; a second one starts here`,
      location: second.location,
      severity: 'error',
    });
  }
  throwProblems(options.what, errors);
  const document = yaml
    ? userDocument(yaml.value, file, options.code, yaml.locate)
    : userDocument(options.empty ?? null, file, options.code, () => ({ file, line: 1, column: 1 }));
  throwProblems(options.what, schemaProblems(document, options.check));
  return document;
}

/** Throws `problems` of a `what` (nothing when there are none): one as itself, several together. */
export function throwProblems(what: string, problems: readonly Diagnostic[]): void {
  const [first] = problems;
  if (first === undefined) return;
  if (problems.length === 1) {
    throw new PullguardError(first.code, first.message, { location: first.location, field: first.field });
  }
  throw new PullguardAggregateError(`${problems.length} problems in the ${what}`, problems);
}

function userDocument(
  value: unknown,
  file: string | undefined,
  code: ErrorCode,
  locate: YamlDocument['locate'],
): UserDocument {
  return {
    file,
    value,
    locate,
    problem: (path, message, atKey) => ({
      code,
      message,
      location: locate(path, atKey),
      field: formatFieldPath(path) || undefined,
      severity: 'error',
    }),
  };
}

function schemaProblems(document: UserDocument, check: SchemaCheck | undefined): Diagnostic[] {
  if (check === undefined) return [];
  return check(document.value).map((p) => document.problem(p.path, p.message, p.atKey));
}
