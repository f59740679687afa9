/**
 * ajv errors translated into sentences a policy author understands, each at a field path
 * (`spec.rules[2].action`) that the caller turns into a line and column.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { PathSegment } from './field-path.js';
import { didYouMean } from './suggest.js';

export interface SchemaProblem {
  path: PathSegment[];
  message: string;
  /** Locate the field's name rather than its value (unknown fields). */
  atKey?: boolean;
}

/**
 * Messages for schema errors whose ajv wording would not help. ajv's `schemaPath` is relative to
 * the `$ref`'d definition, so a message is chosen from the keyword, schema path and field path.
 */
export type SchemaMessages = (error: ErrorObject, path: readonly PathSegment[]) => string | undefined;

const isAlternative = (e: ErrorObject) => e.keyword === 'anyOf' || e.keyword === 'oneOf';
const isBranchOf = (e: ErrorObject, alternative: ErrorObject) =>
  e !== alternative &&
  e.instancePath === alternative.instancePath &&
  e.schemaPath.startsWith(`${alternative.schemaPath}/`);

export function describeSchemaErrors(
  errors: readonly ErrorObject[],
  data: unknown,
  messages: SchemaMessages = () => undefined,
): SchemaProblem[] {
  const custom = new Map<ErrorObject, string | undefined>(
    errors.map((e) => [e, messages(e, pointerToPath(e.instancePath, data))]),
  );
  // Alternatives (anyOf/oneOf) with a custom message replace the errors of their branches;
  // without one, the branches' errors say more than "must match a schema in anyOf".
  const replaced = errors.filter((e) => isAlternative(e) && custom.get(e));
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // `propertyNames` wraps the errors of the name itself, reported below at the name.
    if (error.keyword === 'if' || error.keyword === 'propertyNames') continue;
    if (replaced.some((r) => isBranchOf(error, r))) continue;
    if (isAlternative(error) && !custom.get(error) && errors.some((e) => isBranchOf(e, error))) continue;
    const problem = describe(error, data, custom.get(error));
    const key = `${JSON.stringify(problem.path)} ${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function describe(error: ErrorObject, root: unknown, custom: string | undefined): SchemaProblem {
  if (error.propertyName !== undefined) {
    // A map key that does not match `propertyNames`: the problem is the key, located at it.
    const { propertyName, ...nameError } = error;
    const path = [...pointerToPath(error.instancePath, root), propertyName];
    return { ...describe(nameError, undefined, custom), path, atKey: true };
  }
  const path = pointerToPath(error.instancePath, root);
  const params = error.params as Record<string, unknown>;
  const value = error.data;
  // A custom message wins, except where the field it is about is not the error's own (required, unknown).
  if (custom !== undefined && error.keyword !== 'required' && error.keyword !== 'additionalProperties') {
    return { path, message: custom };
  }
  switch (error.keyword) {
    case 'required': {
      const missing = String(params['missingProperty']);
      return { path: [...path, missing], message: custom ?? `missing required field "${missing}"` };
    }
    case 'additionalProperties': {
      const extra = String(params['additionalProperty']);
      const known = Object.keys((error.parentSchema?.['properties'] as object | undefined) ?? {});
      return {
        path: [...path, extra],
        message: `unknown field "${extra}"${expected(extra, known)}`,
        atKey: true,
      };
    }
    case 'false schema':
      return { path, message: custom ?? 'this field is not allowed here' };
    case 'type': {
      const types = ([] as unknown[]).concat(params['type']).map((type) => article(String(type)));
      return { path, message: `must be ${types.join(' or ')} (found ${typeName(value)})` };
    }
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum':
      return { path, message: `must be ${bound(error.keyword, params['limit'])} (found ${show(value)})` };
    case 'minLength':
      return {
        path,
        message:
          params['limit'] === 1
            ? 'must not be empty'
            : `must be at least ${params['limit']} characters long (found ${show(value)})`,
      };
    case 'maxLength':
      return {
        path,
        message: `must be at most ${params['limit']} characters long (found ${String(value).length})`,
      };
    case 'minItems':
      return {
        path,
        message:
          params['limit'] === 1
            ? 'must list at least one item'
            : `must list at least ${params['limit']} items (found ${listLength(value)})`,
      };
    case 'maxItems':
      return { path, message: `must list at most ${params['limit']} items (found ${listLength(value)})` };
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map(String).join(', ');
      return { path, message: `must be one of ${allowed} (found ${show(value)})` };
    }
    case 'const':
      return { path, message: `must be ${show(params['allowedValue'])} (found ${show(value)})` };
    case 'pattern': {
      const description = error.parentSchema?.['description'];
      const rule =
        typeof description === 'string' ? description : `a string matching ${String(params['pattern'])}`;
      return { path, message: `${show(value)} is not valid: must be ${rule}` };
    }
    case 'uniqueItems': {
      const list = Array.isArray(value) ? value : [];
      return { path, message: `lists ${show(list[params['i'] as number])} more than once` };
    }
    default:
      return { path, message: custom ?? error.message ?? `is invalid (${error.keyword})` };
  }
}

/** JSON pointer (`/spec/rules/2`) → path segments, with numbers where the data holds an array. */
export function pointerToPath(pointer: string, root: unknown): PathSegment[] {
  if (pointer === '') return [];
  const path: PathSegment[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const index = Number(key);
      path.push(index);
      node = node[index];
    } else {
      path.push(key);
      node =
        node !== null && typeof node === 'object' && Object.hasOwn(node, key)
          ? (node as Record<string, unknown>)[key]
          : undefined;
    }
  }
  return path;
}

/** `(did you mean "x"?)` for a likely typo, else the fields there are when they are few enough to list. */
function expected(field: string, known: readonly string[]): string {
  const suggestion = didYouMean(field, known);
  if (suggestion !== '' || known.length === 0 || known.length > MAX_LISTED_FIELDS) return suggestion;
  return ` (expected one of: ${known.join(', ')})`;
}

const MAX_LISTED_FIELDS = 12;

function bound(keyword: string, limit: unknown): string {
  const words: Record<string, string> = {
    minimum: 'at least',
    exclusiveMinimum: 'more than',
    maximum: 'at most',
    exclusiveMaximum: 'less than',
  };
  return `${words[keyword]} ${String(limit)}`;
}

function listLength(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

function article(type: string): string {
  const name = type === 'object' ? 'map' : type === 'array' ? 'list' : type;
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${show(value)}`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
