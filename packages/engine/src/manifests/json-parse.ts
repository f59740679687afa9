/**
 * The JSON fast path: `JSON.parse` builds the data (about 7× faster than js-yaml on the same JSON),
 * then one pass over the text, guided by the parsed value, records the same offsets the YAML
 * listener does. Strings are skipped with `indexOf`, so the pass costs about as much as the parse.
 * Text that `JSON.parse` rejects goes to the YAML parser, which reports the error with a location
 * (and accepts what YAML adds to JSON: comments, unquoted keys, trailing commas).
 */
import type { ResolvedLimits } from './limits.js';
import { isRecord } from './object-access.js';
import {
  LimitError,
  type ParseMarks,
  type ParseResult,
  skipSeparation,
  type TrackedKey,
} from './yaml-parse.js';

const MAX_START_DEPTH = 3;

/** Parses `text` from `from` to `to` as one JSON value; undefined when it is not valid JSON. */
export function parseJsonDocument(
  text: string,
  from: number,
  to: number,
  limits: ResolvedLimits,
): ParseResult | undefined {
  let value: unknown;
  try {
    value = JSON.parse(from === 0 && to === text.length ? text : text.slice(from, to));
  } catch {
    return undefined;
  }
  const scanner = new JsonScanner(text, from, limits.maxDepth);
  try {
    scanner.value(value, 0);
  } catch (error) {
    if (error instanceof LimitError) {
      const message = `the document nests maps and lists deeper than ${limits.maxDepth} levels`;
      return { ok: false, code: error.code, message, offset: error.offset };
    }
    throw error;
  }
  const duplicateKey =
    scanner.duplicateAt < 0
      ? undefined
      : {
          code: 'YAML_SYNTAX' as const,
          message:
            'duplicate key in this object: the last value is used, as Kubernetes does when it accepts the object (kubectl --validate=strict rejects it)',
          offset: scanner.duplicateAt,
        };
  // JSON keys are strings: no collection keys.
  return { ok: true, value, marks: scanner, duplicateKey, collectionKeyOffset: undefined };
}

/**
 * The top-level values of a JSON stream: objects or arrays one after another, separated by
 * blanks only (kubectl's YAMLOrJSONDecoder reads such input as one object per value). Undefined
 * unless there are at least two and each is balanced; whether each parses is JSON.parse's to say.
 */
export function splitJsonStream(text: string, from: number): [number, number][] | undefined {
  const values: [number, number][] = [];
  let i = skipSeparation(text, from);
  while (i < text.length) {
    const first = text.charCodeAt(i);
    if (first !== 0x7b /* { */ && first !== 0x5b /* [ */) return undefined;
    const end = balancedEnd(text, i);
    if (end < 0) return undefined;
    values.push([i, end]);
    i = skipSeparation(text, end);
  }
  return values.length > 1 ? values : undefined;
}

/** Offset after the bracket closing the one at `start`, skipping strings; -1 when unbalanced. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) {
        if (text.charCodeAt(i) === 0x5c /* backslash */) i++;
      }
      if (i >= text.length) return -1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Walks valid JSON text alongside its parsed value. */
class JsonScanner implements ParseMarks {
  /** Offset of the first object holding a duplicate key, or -1. */
  duplicateAt = -1;
  private i: number;
  // Plain Maps, not WeakMaps: marks live for one load only, and Maps cost the GC less.
  private readonly values = new Map<object, Partial<Record<TrackedKey, number>>>();
  private readonly starts = new Map<object, number>();

  constructor(
    private readonly text: string,
    from: number,
    private readonly maxDepth: number,
  ) {
    this.i = from;
  }

  valueOffset(mapping: object, key: TrackedKey): number | undefined {
    return this.values.get(mapping)?.[key];
  }

  startOffset(mapping: object): number | undefined {
    return this.starts.get(mapping);
  }

  /** Scans one value; `parsed` is what JSON.parse made of it (undefined: just skip). */
  value(parsed: unknown, depth: number): void {
    this.i = skipSeparation(this.text, this.i);
    const c = this.text.charCodeAt(this.i);
    if (c === 0x7b /* { */) this.object(isRecord(parsed) ? parsed : undefined, depth + 1);
    else if (c === 0x5b /* [ */) this.array(Array.isArray(parsed) ? parsed : undefined, depth + 1);
    else if (c === 0x22 /* " */) this.string();
    else this.literal();
  }

  private object(parsed: Record<string, unknown> | undefined, depth: number): void {
    if (depth > this.maxDepth) throw new LimitError('TOO_DEEP', this.i);
    const start = this.i;
    const text = this.text;
    this.i++;
    let keys = 0;
    let tracked: Partial<Record<TrackedKey, number>> | undefined;
    for (;;) {
      this.i = skipSeparation(text, this.i);
      const c = text.charCodeAt(this.i);
      if (c === 0x7d /* } */) break;
      if (c === 0x2c /* , */) {
        this.i++;
        continue;
      }
      const keyStart = this.i;
      this.string();
      const keyEnd = this.i;
      keys++;
      this.i = skipSeparation(text, this.i) + 1; // the `:`
      this.i = skipSeparation(text, this.i);
      if (parsed === undefined) {
        this.value(undefined, depth);
        continue;
      }
      const next = text.charCodeAt(this.i);
      const container = next === 0x7b /* { */ || next === 0x5b; /* [ */
      // Decoding the key (a slice) is needed only to descend or to check for a tracked key:
      // `image` or `reference`, or an escaped spelling of them (`im\u0061ge`, at most 6× longer).
      const length = keyEnd - keyStart - 2;
      if (
        !container &&
        length !== 5 &&
        length !== 9 &&
        !(length < 55 && this.hasBackslash(keyStart, keyEnd))
      ) {
        this.value(undefined, depth);
        continue;
      }
      const rawKey = text.slice(keyStart + 1, keyEnd - 1);
      const key: string = rawKey.includes('\\') ? JSON.parse(text.slice(keyStart, keyEnd)) : rawKey;
      if (key === 'image' || key === 'reference') {
        tracked ??= {};
        tracked[key] = this.i;
      }
      this.value(container && Object.hasOwn(parsed, key) ? parsed[key] : undefined, depth);
    }
    this.i++;
    if (parsed === undefined) return;
    // A later duplicate's offsets overwrite an earlier one's, as its value overwrote in JSON.parse.
    if (tracked !== undefined) this.values.set(parsed, tracked);
    if (depth <= MAX_START_DEPTH) this.starts.set(parsed, start);
    if (this.duplicateAt < 0 && keys !== Object.keys(parsed).length) this.duplicateAt = start;
  }

  private array(parsed: unknown[] | undefined, depth: number): void {
    if (depth > this.maxDepth) throw new LimitError('TOO_DEEP', this.i);
    const text = this.text;
    this.i++;
    let index = 0;
    for (;;) {
      this.i = skipSeparation(text, this.i);
      const c = text.charCodeAt(this.i);
      if (c === 0x5d /* ] */) break;
      if (c === 0x2c /* , */) {
        this.i++;
        continue;
      }
      this.value(parsed?.[index], depth);
      index++;
    }
    this.i++;
  }

  /** From an opening quote to after its closing quote. */
  private string(): void {
    const text = this.text;
    let from = this.i + 1;
    for (;;) {
      const quote = text.indexOf('"', from);
      let backslash = quote - 1;
      while (text.charCodeAt(backslash) === 0x5c) backslash--;
      if ((quote - 1 - backslash) % 2 === 0) {
        this.i = quote + 1;
        return;
      }
      from = quote + 1;
    }
  }

  private hasBackslash(from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (this.text.charCodeAt(i) === 0x5c) return true;
    return false;
  }

  /** A number, `true`, `false` or `null`. */
  private literal(): void {
    const text = this.text;
    let i = this.i;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x2c || c === 0x7d || c === 0x5d || c <= 0x20) break;
    }
    this.i = i;
  }
}
