/**
 * Policy files parsed with the `yaml` package, keeping the node tree so that any field of a
 * document can be located later (`spec.rules[2].with` → line 14, column 13). Policy files are
 * small and error locations matter more than speed; sizes and alias expansion are still bounded.
 */
import {
  type Alias,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
} from 'yaml';
import type { Diagnostic, ErrorCode } from '../errors.js';
import type { SourceLocation } from '../types.js';
import type { PathSegment } from './field-path.js';

export interface YamlLimits {
  /** The code of syntax problems (default POLICY_SYNTAX). */
  syntaxCode?: ErrorCode | undefined;
  /** Largest file, in characters (default 8 MiB). */
  maxFileBytes?: number | undefined;
  /** Most alias dereferences per document (default 100). */
  maxAliases?: number | undefined;
}

export interface YamlDocument {
  value: unknown;
  /** Where the document's content starts. */
  location: SourceLocation;
  /**
   * The location of the field at `path` (its key with `atKey`, else its value when that is a
   * scalar), or of its nearest ancestor that exists.
   */
  locate(path: readonly PathSegment[], atKey?: boolean): SourceLocation;
}

const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;
const DEFAULT_MAX_ALIASES = 100;

export function parseYamlDocuments(
  text: string,
  file: string | undefined,
  limits: YamlLimits = {},
): { documents: YamlDocument[]; errors: Diagnostic[] } {
  const maxBytes = limits.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const code = limits.syntaxCode ?? 'POLICY_SYNTAX';
  const syntaxError = (message: string, location: SourceLocation): Diagnostic => ({
    code,
    message,
    location,
    severity: 'error',
  });
  if (text.length > maxBytes) {
    return {
      documents: [],
      errors: [syntaxError(`the file is larger than ${maxBytes} characters`, { file, line: 1, column: 1 })],
    };
  }
  const lineCounter = new LineCounter();
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const documents: YamlDocument[] = [];
  const errors: Diagnostic[] = [];
  let parsed: ReturnType<typeof parseAllDocuments>;
  try {
    parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    // The composer recurses per nesting level: absurd nesting ends here, not in a crash.
    return { documents, errors: [syntaxError(`the file cannot be parsed: ${describe(error)}`, at(0))] };
  }
  if (!Array.isArray(parsed)) return { documents, errors };
  for (const doc of parsed) {
    for (const problem of doc.errors) errors.push(syntaxError(problem.message, at(problem.pos[0])));
    for (const problem of doc.warnings) {
      errors.push({ ...syntaxError(problem.message, at(problem.pos[0])), severity: 'warning' });
    }
    const root = doc.contents as Node | null;
    // A document of only comments (or a trailing `---`) holds no policy.
    if (doc.errors.length > 0 || root === null || (isScalar(root) && root.value === null)) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliases ?? DEFAULT_MAX_ALIASES });
    } catch (error) {
      errors.push(syntaxError(`the document cannot be read: ${describe(error)}`, at(root.range?.[0] ?? 0)));
      continue;
    }
    documents.push({
      value,
      location: at(root.range?.[0] ?? 0),
      locate: (path, atKey = false) => at(offsetOf(root, path, atKey, (alias) => alias.resolve(doc))),
    });
  }
  return { documents, errors };
}

function describe(error: unknown): string {
  if (error instanceof RangeError) return 'it nests too deeply';
  return error instanceof Error ? error.message : String(error);
}

/**
 * Walk `path` down the node tree. A map entry is located at its value when that is a scalar and
 * at its key otherwise (a block map's value starts on the next line, the key is what people look for).
 * `atKey` applies to the last segment only (used for unknown fields: point at the name).
 */
function offsetOf(
  root: Node,
  path: readonly PathSegment[],
  atKey: boolean,
  resolve: (alias: Alias) => Node | undefined,
): number {
  let node: Node | undefined = root;
  let offset = root.range?.[0] ?? 0;
  for (const segment of path) {
    if (node && isAlias(node)) node = resolve(node);
    if (!node) break;
    let next: Node | undefined;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      const key = pair.key as Node;
      const value = pair.value as Node | null;
      next = value ?? undefined;
      const keyOffset = key.range?.[0] ?? offset;
      offset = value && isScalar(value) && !atKey ? (value.range?.[0] ?? offset) : keyOffset;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      next = item;
      offset = item.range?.[0] ?? offset;
    } else {
      break;
    }
    node = next;
  }
  return offset;
}
