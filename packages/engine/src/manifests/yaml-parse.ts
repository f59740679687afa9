/**
 * One YAML (or JSON) document → plain data plus the few source offsets pullguard reports.
 *
 * js-yaml builds the data (about 10× faster than the `yaml` package's Document API on the
 * corpus, see docs/architecture.md "YAML parsing"); its `listener` hook, called when each node
 * opens and closes, records offsets only for the values of `image` and `reference` keys and for
 * where documents and List items start. Offsets become line/column only when asked for.
 */
import { type LoadOptions, load, YAMLException } from 'js-yaml';
import type { ErrorCode } from '../errors.js';
import type { ResolvedLimits } from './limits.js';
import { assertParserState, type ListenerState } from './parser-state.js';
import { KUBERNETES_SCHEMA } from './yaml-schema.js';

/** Keys whose value offsets are recorded: container `image` and image-volume `reference`. */
export type TrackedKey = 'image' | 'reference';

/**
 * Mappings this shallow get a start offset: document roots and List items. In js-yaml's count a
 * block root is at depth 1 and its List items at 3; a flow root (`{…}`, JSON-style) is composed
 * one level deeper, so its items are at 4.
 */
const MAX_START_DEPTH = 4;

export interface ParseMarks {
  /** Offset of the first character of `mapping[key]`'s value node (a quote for quoted scalars). */
  valueOffset(mapping: object, key: TrackedKey): number | undefined;
  /** Offset where a document root or a List item mapping starts. */
  startOffset(mapping: object): number | undefined;
}

export interface ParseProblem {
  code: ErrorCode;
  message: string;
  offset: number;
}

export type ParseResult =
  | {
      ok: true;
      value: unknown;
      marks: ParseMarks;
      /** A duplicate key (the first one): the last value was kept, as Kubernetes keeps it. */
      duplicateKey: ParseProblem | undefined;
      /**
       * Offset of the first mapping that has a mapping or list as a key (`{{ .Values.x }}` parses
       * so), which no Kubernetes object has. Only looked for when the text contains `{{`.
       */
      collectionKeyOffset: number | undefined;
    }
  | ({ ok: false } & ParseProblem);

// The listener reads js-yaml's parser state: stop at start-up if this js-yaml does not keep it.
assertParserState();

/** Thrown from the listener (and the JSON scanner) to stop parsing at a limit. */
export class LimitError extends Error {
  constructor(
    readonly code: 'TOO_MANY_ALIASES' | 'TOO_DEEP',
    readonly offset: number,
  ) {
    super(code);
  }
}

/**
 * Parses one document of a stream (see splitDocuments). Never throws.
 *
 * Duplicate keys: when the API server accepts such an object (fieldValidation Warn or Ignore, the
 * default for clients other than kubectl; kubernetes/kubernetes#99286) the last value wins, as in
 * sigs.k8s.io/yaml's YAML→JSON conversion, and kubectl's default `--validate=strict` rejects it.
 * pullguard evaluates what would run (the last value) and reports a warning. js-yaml rejects
 * duplicates unless `json: true`, so such a document is parsed a second time in that mode.
 */
export function parseYamlDocument(text: string, limits: ResolvedLimits): ParseResult {
  const strict = parseOnce(text, limits, false);
  if (strict.ok || strict.code !== 'DUPLICATE_KEY') return strict;
  const lenient = parseOnce(text, limits, true);
  if (!lenient.ok) {
    return { ...lenient, code: lenient.code === 'DUPLICATE_KEY' ? 'YAML_SYNTAX' : lenient.code };
  }
  return {
    ...lenient,
    duplicateKey: { code: 'YAML_SYNTAX', message: strict.message, offset: strict.offset },
  };
}

type OnceResult = ParseResult | ({ ok: false; code: 'DUPLICATE_KEY' } & Omit<ParseProblem, 'code'>);

function parseOnce(text: string, limits: ResolvedLimits, lastKeyWins: boolean): OnceResult {
  const recorder = new OffsetRecorder(text, limits);
  try {
    const value = load(text, {
      schema: KUBERNETES_SCHEMA,
      listener: recorder.listener,
      json: lastKeyWins,
      // js-yaml counts every node, scalars included; this bounds its recursion, and the listener
      // checks the limit exactly (maps and sequences only).
      maxDepth: limits.maxDepth + 1,
    } as LoadOptions);
    return {
      ok: true,
      value,
      marks: recorder,
      duplicateKey: undefined,
      collectionKeyOffset:
        recorder.collectionKeyAt < 0 ? undefined : skipSeparation(text, recorder.collectionKeyAt),
    };
  } catch (error) {
    if (error instanceof LimitError) return describeLimit(error, limits);
    if (error instanceof YAMLException) {
      return describeTagError(error, recorder) ?? describeYamlError(error, text, limits);
    }
    throw error;
  }
}

function describeLimit(error: LimitError, limits: ResolvedLimits): OnceResult {
  const message =
    error.code === 'TOO_DEEP'
      ? `the document nests maps and lists deeper than ${limits.maxDepth} levels`
      : `the document dereferences more than ${limits.maxAliases} YAML aliases (counting aliases inside aliased nodes), which is how "billion laughs" inputs explode`;
  return { ok: false, code: error.code, message, offset: error.offset };
}

// js-yaml's messages for a tag its schema does not have, or whose type refuses the value
// (loader.js composeNode); the tag is in its verbatim form `!<tag:yaml.org,2002:binary>`.
const TAG_ERROR = /^(?:unknown tag|cannot resolve a node with|unacceptable node kind for) !<([^>]*)>/;

/**
 * A tag KUBERNETES_SCHEMA does not read (yaml-schema.ts): YAML_TAG at the tag of the node that
 * carries it, which js-yaml's error offset (the end of the node) does not say.
 */
function describeTagError(error: YAMLException, recorder: OffsetRecorder): OnceResult | undefined {
  const tag = TAG_ERROR.exec(error.reason ?? '')?.[1];
  if (tag === undefined) return undefined;
  const shown = tag.startsWith(CORE_TAG_PREFIX)
    ? `!!${tag.slice(CORE_TAG_PREFIX.length)}`
    : tag.startsWith('!')
      ? tag
      : `!<${tag}>`;
  let message: string;
  if (!error.reason.startsWith('cannot resolve')) {
    message = `the tag ${shown} is not supported: pullguard reads !!str, !!binary, !!map, !!seq, and !!null, !!bool, !!int, !!float on values of their own type, so that it judges exactly what kubectl sends; remove the tag`;
  } else if (shown === '!!binary') {
    message =
      'the !!binary value is not valid base64 (standard alphabet, padded): kubectl and the API server reject the document';
  } else {
    message = `the value is not a ${shown} (YAML 1.2 core schema), so the tag would change what it means: remove the tag or fix the value`;
  }
  return { ok: false, code: 'YAML_TAG', message, offset: recorder.failedNodeOffset() };
}

const CORE_TAG_PREFIX = 'tag:yaml.org,2002:';

function describeYamlError(error: YAMLException, text: string, limits: ResolvedLimits): OnceResult {
  const offset = Math.min(error.mark?.position ?? 0, text.length);
  const reason = error.reason ?? error.message;
  if (reason.startsWith('nesting exceeded maxDepth'))
    return describeLimit(new LimitError('TOO_DEEP', offset), limits);
  if (reason === 'duplicated mapping key') {
    const key = /^\s*(?:-\s+)?("[^"]*"|'[^']*'|[^:\n]*?)\s*:/.exec(text.slice(offset, offset + 300))?.[1];
    return {
      ok: false,
      code: 'DUPLICATE_KEY',
      message: `duplicate key${key ? ` ${key}` : ''} in a mapping: the last value is used, as Kubernetes does when it accepts the object (kubectl --validate=strict rejects it)`,
      offset,
    };
  }
  return { ok: false, code: 'YAML_SYNTAX', message: reason, offset };
}

/**
 * Records, while js-yaml parses, the offsets ParseMarks answers with. Per node it does a few
 * array reads and writes; the expensive work (skipping to the value's first character) happens
 * only when an offset is asked for.
 */
class OffsetRecorder implements ParseMarks {
  /** Offset where the node open at each depth started (before separating whitespace). */
  private readonly openedAt: number[] = [];
  /** A tracked key just closed at this depth: the next node closing at the same depth is its value. */
  private readonly keyAt: (TrackedKey | undefined)[] = [];
  /** Value offsets collected for the mapping whose children are at this depth. */
  private readonly pendingAt: (Partial<Record<TrackedKey, number>> | undefined)[] = [];
  // Plain Maps, not WeakMaps: marks live for one load only, and Maps cost the GC less.
  private readonly values = new Map<object, Partial<Record<TrackedKey, number>>>();
  private readonly starts = new Map<object, number>();
  // Alias accounting: dereferences so far, at each depth's open, and inside each anchored node.
  /** Open offset of the first mapping with a collection as a key, or -1. */
  collectionKeyAt = -1;
  private readonly watchCollectionKeys: boolean;
  private readonly anchorsPossible: boolean;
  private readonly maxDepth: number;
  /** Depth of the innermost node opened and not closed: the one a js-yaml error is about. */
  private innermost = 0;
  private derefs = 0;
  private readonly derefsAtOpen: number[] = [];
  private readonly derefsInside = new Map<object, number>();

  constructor(
    private readonly text: string,
    private readonly limits: ResolvedLimits,
  ) {
    this.watchCollectionKeys = text.includes('{{');
    // Without an `&` there are no anchors, so no aliases to expand (an alias then fails to parse).
    this.anchorsPossible = text.includes('&');
    this.maxDepth = limits.maxDepth;
  }

  readonly listener = (event: 'open' | 'close', rawState: unknown): void => {
    const state = rawState as ListenerState;
    const depth = state.depth;
    if (event === 'open') {
      this.openedAt[depth] = state.position;
      this.innermost = depth;
      if (this.anchorsPossible) this.derefsAtOpen[depth] = this.derefs;
      return;
    }
    this.innermost = depth - 1;
    const kind = state.kind;
    const result = state.result;
    if (kind === 'scalar') {
      // The most frequent event: a length test before any string comparison.
      if (typeof result === 'string' && (result.length === 5 || result.length === 9)) {
        if ((result === 'image' || result === 'reference') && this.isKey(state.position)) {
          this.keyAt[depth] = result;
          return;
        }
      }
    } else if (kind === 'mapping') {
      this.closeCollection(depth);
      const pending = this.pendingAt[depth + 1];
      if (pending !== undefined) {
        this.values.set(result as object, pending);
        this.pendingAt[depth + 1] = undefined;
      }
      if (depth <= MAX_START_DEPTH) this.starts.set(result as object, this.openedAt[depth]!);
      // js-yaml stringifies a mapping used as a key to "[object Object]".
      if (
        this.watchCollectionKeys &&
        this.collectionKeyAt < 0 &&
        Object.hasOwn(result as object, '[object Object]')
      ) {
        this.collectionKeyAt = this.openedAt[depth]!;
      }
    } else if (kind === 'sequence') {
      this.closeCollection(depth);
      this.pendingAt[depth + 1] = undefined;
    } else if (kind === null && result !== null && result !== undefined) {
      this.countAlias(result, state.position);
    }
    if (this.anchorsPossible && state.anchor !== null && typeof result === 'object' && result !== null) {
      this.derefsInside.set(result, this.derefs - this.derefsAtOpen[depth]!);
    }
    const key = this.keyAt[depth];
    if (key !== undefined) {
      const pending = this.pendingAt[depth] ?? {};
      pending[key] = this.openedAt[depth]!;
      this.pendingAt[depth] = pending;
      this.keyAt[depth] = undefined;
    }
  };

  private closeCollection(depth: number): void {
    if (depth > this.maxDepth)
      throw new LimitError('TOO_DEEP', skipSeparation(this.text, this.openedAt[depth]!));
    this.keyAt[depth + 1] = undefined;
  }

  valueOffset(mapping: object, key: TrackedKey): number | undefined {
    const open = this.values.get(mapping)?.[key];
    return open === undefined ? undefined : skipProperties(this.text, skipSeparation(this.text, open));
  }

  /** Where the node js-yaml failed on starts: at its tag, after an anchor. */
  failedNodeOffset(): number {
    const start = skipSeparation(this.text, this.openedAt[this.innermost] ?? 0);
    return this.text.charCodeAt(start) === 0x26 /* & */
      ? skipSeparation(this.text, skipToken(this.text, start))
      : start;
  }

  startOffset(mapping: object): number | undefined {
    const open = this.starts.get(mapping);
    return open === undefined ? undefined : skipSeparation(this.text, open);
  }

  /** A scalar is a key when `:` follows it on its line (block and flow mappings, JSON). */
  private isKey(end: number): boolean {
    const text = this.text;
    let i = end;
    while (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09) i++;
    return text.charCodeAt(i) === 0x3a;
  }

  /** An alias expands to its node, aliases inside it included: count them all. */
  private countAlias(target: unknown, offset: number): void {
    this.derefs += 1 + (typeof target === 'object' ? (this.derefsInside.get(target as object) ?? 0) : 0);
    if (this.derefs > this.limits.maxAliases) throw new LimitError('TOO_MANY_ALIASES', offset);
  }
}

/** Skips a node's anchor and tag (`&name`, `!!str`) to the value itself. */
function skipProperties(text: string, offset: number): number {
  let i = offset;
  for (let c = text.charCodeAt(i); c === 0x26 /* & */ || c === 0x21 /* ! */; c = text.charCodeAt(i)) {
    i = skipSeparation(text, skipToken(text, i));
  }
  return i;
}

/** The end of the token (an anchor, a tag) starting at `offset`. */
function skipToken(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && !isBlank(text.charCodeAt(i))) i++;
  return i;
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Skips blanks, line breaks and comments: from where js-yaml opened a node to its first character. */
export function skipSeparation(text: string, offset: number): number {
  let i = offset;
  for (;;) {
    const c = text.charCodeAt(i);
    if (isBlank(c)) i++;
    else if (c === 0x23 /* # */) {
      const eol = text.indexOf('\n', i);
      if (eol < 0) return text.length;
      i = eol + 1;
    } else return i;
  }
}
