import { type ErrorCode, PullguardError, type SourceLocation } from '@pullguard/engine';
import { isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';

export type FieldPath = readonly (string | number)[];

/** One YAML document with its source positions, so that validation errors say file:line:column. */
export interface LocatedYaml {
  file: string;
  value: unknown;
  /** Where `path` is written; falls back to the nearest written parent (or the document start). */
  locate(path: FieldPath): SourceLocation;
  /**
   * Throws `code` at `path`, with the path spelled as people read it (`cases[2].expect`);
   * `at: 'key'` points at the key instead of the value (for unknown fields).
   */
  fail(path: FieldPath, message: string, at?: 'key' | 'value'): never;
}

export function formatPath(path: FieldPath): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** Parses `text` as one YAML (or JSON) document; syntax errors throw `code` with their position. */
export function parseLocatedYaml(text: string, file: string, code: ErrorCode): LocatedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const syntax = doc.errors[0];
  if (syntax)
    throw new PullguardError(code, syntax.message.split('\n')[0] ?? syntax.message, {
      location: at(syntax.pos[0]),
    });
  const locate = (path: FieldPath): SourceLocation => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return at(node.range[0]);
    }
    return { file, line: 1, column: 1 };
  };
  const locateKey = (path: FieldPath): SourceLocation => {
    const parent = doc.getIn(path.slice(0, -1), true);
    const pair = isMap(parent)
      ? parent.items.find((p) => isScalar(p.key) && p.key.value === path.at(-1))
      : undefined;
    return isScalar(pair?.key) && pair.key.range ? at(pair.key.range[0]) : locate(path);
  };
  return {
    file,
    value: doc.toJS({ maxAliasCount: 100 }),
    locate,
    fail(path, message, where = 'value') {
      const field = formatPath(path);
      const location = where === 'key' ? locateKey(path) : locate(path);
      throw new PullguardError(code, message, { location, field: field || undefined });
    },
  };
}

// Small typed readers over a LocatedYaml: each one names the field it rejects.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readRecord(src: LocatedYaml, value: unknown, path: FieldPath, keys: readonly string[]) {
  if (!isRecord(value)) src.fail(path, `${formatPath(path) || 'the document'} must be a mapping`);
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) {
      src.fail([...path, key], `unknown field "${key}" (expected one of: ${keys.join(', ')})`, 'key');
    }
  }
  return value;
}

export function readString(src: LocatedYaml, value: unknown, path: FieldPath): string {
  if (typeof value !== 'string' || value === '')
    src.fail(path, `${formatPath(path)} must be a non-empty string`);
  return value;
}

export function readOptionalString(src: LocatedYaml, value: unknown, path: FieldPath): string | undefined {
  return value === undefined ? undefined : readString(src, value, path);
}

export function readStringList(src: LocatedYaml, value: unknown, path: FieldPath): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return [readString(src, value, path)];
  if (!Array.isArray(value)) src.fail(path, `${formatPath(path)} must be a string or a list of strings`);
  return value.map((item, i) => readString(src, item, [...path, i]));
}

export function readChoice<T extends string>(
  src: LocatedYaml,
  value: unknown,
  path: FieldPath,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    src.fail(path, `${formatPath(path)} must be one of: ${choices.join(', ')}`);
  }
  return value as T;
}

export function readStringMap(src: LocatedYaml, value: unknown, path: FieldPath): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) src.fail(path, `${formatPath(path)} must be a mapping of strings`);
  const out: Record<string, string> = Object.create(null);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') src.fail([...path, key], `${formatPath([...path, key])} must be a string`);
    out[key] = v;
  }
  return out;
}
