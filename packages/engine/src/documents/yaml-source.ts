/**
 * Policy files parsed with the `yaml` package, keeping the way back to the node tree so that any
 * field of a document can be located later (`spec.rules[2].with` → line 14, column 13). Policy
 * files are small and error locations matter more than speed; sizes and alias expansion are still
 * bounded.
 */
import {
  type Alias,
  type Document,
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

export const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;
const DEFAULT_MAX_ALIASES = 100;

/** One parse of a file: its documents' node trees and where its lines start. */
interface ParsedFile {
  documents: readonly Document.Parsed[];
  lineCounter: LineCounter;
}

function parseFile(text: string): ParsedFile {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  // An empty stream is not an array.
  return { documents: Array.isArray(parsed) ? parsed : [], lineCounter };
}

/**
 * Where a document is in its file: from the end of the previous document (so with its own
 * directives, comments and `---`) to its end; `index` counts the documents of the file as
 * `parseAllDocuments` does.
 */
interface DocumentSpan {
  index: number;
  start: number;
  end: number;
  /** Line and column of `start` (1-based). */
  line: number;
  column: number;
}

/**
 * Field locations in one file's documents, for problems found after parsing (by the compiler,
 * long after the parse). The node trees weigh about 20 times the text (~5 KB for a 7-line
 * policy), and a compiled set keeps every document it was given: 10,000 policies would keep
 * 50 MB of trees. So the file's parse is held only while the file is being read (until
 * `release`); a location asked for later parses the document's own text again (the documents
 * share the file's text), which gives the same tree: the cost of a late location is one small
 * parse, never a re-parse of a large file, and nothing depends on the garbage collector.
 */
class FileLocations {
  readonly #text: string;
  readonly #file: string | undefined;
  #parsed: ParsedFile | undefined;

  constructor(text: string, file: string | undefined, parsed: ParsedFile) {
    this.#text = text;
    this.#file = file;
    this.#parsed = parsed;
  }

  /** The file has been read: stop holding its parse. */
  release(): void {
    this.#parsed = undefined;
  }

  locate(span: DocumentSpan, path: readonly PathSegment[], atKey = false): SourceLocation {
    if (this.#parsed !== undefined) {
      return locationAt(
        this.#parsed.lineCounter,
        this.#file,
        offsetIn(this.#parsed, span.index, path, atKey),
      );
    }
    const own = parseFile(this.#text.slice(span.start, span.end));
    const { line, col } = own.lineCounter.linePos(offsetIn(own, own.documents.length - 1, path, atKey));
    // The text's first line starts at the span's column; its other lines at column 1.
    return {
      file: this.#file,
      line: span.line + line - 1,
      column: line === 1 ? span.column + col - 1 : col,
    };
  }
}

/** The offset of `path` in document `index` of a parse (0 when it has no such document). */
function offsetIn(parsed: ParsedFile, index: number, path: readonly PathSegment[], atKey: boolean): number {
  const document = parsed.documents[index];
  const root = document?.contents as Node | null | undefined;
  if (document === undefined || !root) return 0;
  return offsetOf(root, path, atKey, (alias) => alias.resolve(document));
}

/** Each document's span: from where the previous one ended (the parser ends it after a line break). */
function documentSpans(parsed: ParsedFile): DocumentSpan[] {
  let start = 0;
  return parsed.documents.map((document, index) => {
    const end = document.range[2];
    const { line, col } = parsed.lineCounter.linePos(start);
    const span = { index, start, end, line, column: col };
    start = end;
    return span;
  });
}

function locationAt(lineCounter: LineCounter, file: string | undefined, offset: number): SourceLocation {
  const { line, col } = lineCounter.linePos(offset);
  return { file, line, column: col };
}

export interface ParsedYaml {
  documents: YamlDocument[];
  errors: Diagnostic[];
  /**
   * Call when done reading the documents: their `locate` then parses the document's text again
   * if it is ever called, instead of the documents holding the node trees for as long as they live.
   */
  release(): void;
}

export function parseYamlDocuments(
  text: string,
  file: string | undefined,
  limits: YamlLimits = {},
): ParsedYaml {
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
      release: nothing,
    };
  }
  const documents: YamlDocument[] = [];
  const errors: Diagnostic[] = [];
  let parsed: ParsedFile;
  try {
    parsed = parseFile(text);
  } catch (error) {
    // The composer recurses per nesting level: absurd nesting ends here, not in a crash.
    return {
      documents,
      errors: [syntaxError(`the file cannot be parsed: ${describe(error)}`, { file, line: 1, column: 1 })],
      release: nothing,
    };
  }
  const at = (offset: number) => locationAt(parsed.lineCounter, file, offset);
  const locations = new FileLocations(text, file, parsed);
  const spans = documentSpans(parsed);
  parsed.documents.forEach((doc, index) => {
    for (const problem of doc.errors) errors.push(syntaxError(problem.message, at(problem.pos[0])));
    for (const problem of doc.warnings) {
      errors.push({ ...syntaxError(problem.message, at(problem.pos[0])), severity: 'warning' });
    }
    const root = doc.contents as Node | null;
    // A document of only comments (or a trailing `---`) holds no policy.
    if (doc.errors.length > 0 || root === null || (isScalar(root) && root.value === null)) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliases ?? DEFAULT_MAX_ALIASES });
    } catch (error) {
      errors.push(syntaxError(`the document cannot be read: ${describe(error)}`, at(root.range?.[0] ?? 0)));
      return;
    }
    documents.push({
      value,
      location: at(root.range?.[0] ?? 0),
      // Bound, not a closure here: a closure would keep this scope's `parsed`, the trees themselves.
      locate: locations.locate.bind(locations, spans[index] as DocumentSpan),
    });
  });
  return { documents, errors, release: locations.release.bind(locations) };
}

const nothing = (): void => {};

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
