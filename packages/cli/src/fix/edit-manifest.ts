import type { ImageFix } from '@pullguard/engine';
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  parseAllDocuments,
  type Scalar,
  type YAMLMap,
} from 'yaml';

/**
 * Applies fixes to manifest text by splicing only the characters that change, located with the
 * yaml package's Document API. Re-serialising a document (`String(doc)`) would normalise
 * indentation, spacing and line folding of untouched lines; a splice cannot. So comments, key
 * order, quoting and formatting of everything else stay byte-for-byte the same — in YAML and in
 * JSON (JSON is YAML flow syntax: the new key is written in the file's own quoting and indentation).
 */
export interface FixOutcome {
  text: string;
  applied: ImageFix[];
  /** Fixes whose container could not be found in the text (reported, never guessed). */
  skipped: { fix: ImageFix; reason: string }[];
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * The key that names the image in the map a fix applies to: a pull policy goes next to it, an image
 * fix (a pinned reference) replaces its value.
 */
const IMAGE_KEY: Record<ImageFix['field'], string> = {
  imagePullPolicy: 'image',
  pullPolicy: 'reference',
  image: 'image',
  reference: 'reference',
};

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function findPair(map: YAMLMap, key: string): Pair<Scalar, Node> | undefined {
  return map.items.find((p): p is Pair<Scalar, Node> => isScalar(p.key) && p.key.value === key);
}

/** The innermost map whose source contains `offset` and holds the image key for `field`. */
function innermostMapAt(
  nodes: readonly unknown[],
  offset: number,
  field: ImageFix['field'],
): YAMLMap | undefined {
  let best: YAMLMap | undefined;
  const visit = (node: unknown): void => {
    if (isPair(node)) {
      visit(node.key);
      visit(node.value);
      return;
    }
    if (!isMap(node) && !isSeq(node)) return;
    const range = node.range;
    if (!range || offset < range[0] || offset > range[1]) return;
    if (isMap(node) && findPair(node, IMAGE_KEY[field])) best = node;
    for (const item of node.items) visit(item);
  };
  for (const node of nodes) visit(node);
  return best;
}

/** Objects in input order (documents, List items unpacked), as the engine numbers them. */
function objectNodes(contents: readonly unknown[]): YAMLMap[] {
  const out: YAMLMap[] = [];
  for (const node of contents) {
    if (!isMap(node)) continue;
    const items = node.get('items', true);
    const kind = node.get('kind');
    if (typeof kind === 'string' && kind.endsWith('List') && isSeq(items)) {
      for (const item of items.items) if (isMap(item)) out.push(item);
    } else out.push(node);
  }
  return out;
}

/** `/spec/containers/0/imagePullPolicy` → the container map, when the fix has no source location. */
function mapByPointer(objects: readonly YAMLMap[], fix: ImageFix): YAMLMap | undefined {
  const object = objects[fix.objectIndex];
  if (!object) return undefined;
  const segments = fix.pointer
    .split('/')
    .slice(1, -1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const node = object.getIn(segments, true);
  return isMap(node) ? node : undefined;
}

function quoteLike(sample: string, value: string): string {
  if (sample.startsWith('"')) return JSON.stringify(value);
  if (sample.startsWith("'")) return `'${value.replaceAll("'", "''")}'`;
  return value;
}

function editFor(text: string, starts: readonly number[], map: YAMLMap, fix: ImageFix): Edit | string {
  const existing = findPair(map, fix.field);
  if (existing) {
    const value = existing.value;
    if (!isScalar(value) || !value.range) return `${fix.field} is not a plain value`;
    // A folded or literal block (`image: |`) would need its own layout: never guessed.
    if (value.type === 'BLOCK_FOLDED' || value.type === 'BLOCK_LITERAL')
      return `${fix.field} is a block scalar`;
    const [start, end] = value.range;
    return { start, end, text: quoteLike(text.slice(start, end), fix.value) };
  }
  const image = findPair(map, IMAGE_KEY[fix.field]);
  if (!image?.key.range || !image.value?.range) return `no ${IMAGE_KEY[fix.field]} key`;
  const keyStart = image.key.range[0];
  const keySource = text.slice(keyStart, image.key.range[1]);
  const valueEnd = image.value.range[1];
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const keyLine = lineOf(keyStart);
  const indent = ' '.repeat(keyStart - (starts[keyLine] as number));
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const key = quoteLike(keySource, fix.field);
  const value = quoteLike(text.slice(image.value.range[0], valueEnd), fix.value);
  if (map.flow) {
    const multiline = map.range !== null && map.range !== undefined && lineOf(map.range[0]) !== keyLine;
    return {
      start: valueEnd,
      end: valueEnd,
      text: multiline ? `,${newline}${indent}${key}: ${value}` : `, ${key}: ${value}`,
    };
  }
  // Block map: a new line right after the line that ends the image value, at the image key's indentation.
  const eol = text.indexOf('\n', valueEnd);
  const at = eol === -1 ? text.length : eol + 1;
  const prefix = eol === -1 ? newline : '';
  return { start: at, end: at, text: `${prefix}${indent}${key}: ${value}${newline}` };
}

export function applyFixes(text: string, fixes: readonly ImageFix[]): FixOutcome {
  const docs = parseAllDocuments(text);
  const contents = (Array.isArray(docs) ? docs : []).map((d) => d.contents);
  const starts = lineStarts(text);
  const objects = objectNodes(contents);
  const edits: Edit[] = [];
  const applied: ImageFix[] = [];
  const skipped: FixOutcome['skipped'] = [];
  for (const fix of fixes) {
    const loc = fix.location;
    const offset = loc ? (starts[loc.line - 1] ?? Number.NaN) + loc.column - 1 : Number.NaN;
    const map = Number.isNaN(offset)
      ? mapByPointer(objects, fix)
      : innermostMapAt(contents, offset, fix.field);
    if (!map) {
      skipped.push({ fix, reason: 'the container was not found in the source text' });
      continue;
    }
    const edit = editFor(text, starts, map, fix);
    if (typeof edit === 'string') skipped.push({ fix, reason: edit });
    else {
      edits.push(edit);
      applied.push(fix);
    }
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return { text: out, applied, skipped };
}
