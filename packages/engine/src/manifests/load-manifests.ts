/**
 * Stage 1 of the pipeline: manifests (YAML or JSON text, or objects given as data) → objects,
 * the images their pod specs run, Namespace labels, and load errors that never stop the other
 * documents from loading.
 */
import type { LoadedManifests, ManifestLoadOptions } from '../engine-api.js';
import type { SourceLocation } from '../types.js';
import { parseJsonDocument, splitJsonStream } from './json-parse.js';
import { type ResolvedLimits, resolveLimits } from './limits.js';
import {
  addDocument,
  type DocumentPositions,
  fail,
  type ManifestCollector,
  newManifestCollector,
  report,
} from './manifest-collector.js';
import { LineIndex, splitDocuments } from './source-text.js';
import { findTemplateAction, TEMPLATE_HINT } from './template-detection.js';
import { type ParseMarks, type ParseResult, parseYamlDocument, skipSeparation } from './yaml-parse.js';

/**
 * Loads a YAML stream (documents separated by `---`) or a JSON document. Each image carries the
 * exact line and column of its value; problems become `errors` (YAML_SYNTAX, JSON_SYNTAX,
 * TEMPLATE_NOT_RENDERED, NOT_AN_OBJECT, MISSING_KIND, INVALID_FIELD, DOCUMENT_TOO_LARGE,
 * TOO_MANY_ALIASES, TOO_DEEP) and the other documents still load. Never throws on bad input.
 */
export function loadManifests(text: string, options: ManifestLoadOptions = {}): LoadedManifests {
  const collector = newManifestCollector(options);
  const limits = resolveLimits(options.limits);
  // js-yaml drops a leading byte order mark, which would shift every offset by one.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineIndex(source, options.file);
  const json = looksLikeJson(source, options.file);

  for (const chunk of splitDocuments(source)) {
    const at = (offset: number): SourceLocation => lines.locate(chunk.offset + offset);
    const start = documentStart(chunk.text);
    if (chunk.text.length > limits.maxDocumentBytes) {
      fail(
        collector,
        'DOCUMENT_TOO_LARGE',
        `the document has ${chunk.text.length} characters, more than the limit of ${limits.maxDocumentBytes}`,
        at(start),
      );
      continue;
    }
    for (const { parsed, start: valueStart } of parseChunk(chunk.text, start, limits)) {
      if (parsed.ok) addParsed(collector, parsed, chunk.text, valueStart, at);
      else reportParseError(collector, parsed, chunk.text, json, at);
    }
  }
  return collector.result;
}

/**
 * JSON (text starting with `{` or `[`) goes to the fast path; a stream of JSON values (`{…}{…}`,
 * one per line), which kubectl reads as separate objects, gives one result per value; everything
 * else, and JSON that does not parse, goes to js-yaml.
 */
function parseChunk(
  text: string,
  start: number,
  limits: ResolvedLimits,
): { parsed: ParseResult; start: number }[] {
  const first = text.charCodeAt(start);
  if (first === 0x7b /* { */ || first === 0x5b /* [ */) {
    const single = parseJsonDocument(text, start, text.length, limits);
    if (single !== undefined) return [{ parsed: single, start }];
    const values = splitJsonStream(text, start);
    const parsed = values?.map(([from, to]) => ({
      parsed: parseJsonDocument(text, from, to, limits),
      start: from,
    }));
    if (parsed?.every((value) => value.parsed !== undefined))
      return parsed as { parsed: ParseResult; start: number }[];
  }
  return [{ parsed: parseYamlDocument(text, limits), start }];
}

function addParsed(
  collector: ManifestCollector,
  parsed: Extract<ParseResult, { ok: true }>,
  text: string,
  start: number,
  at: (offset: number) => SourceLocation,
): void {
  if (parsed.duplicateKey !== undefined) {
    const { code, message, offset } = parsed.duplicateKey;
    report(collector, { code, message, location: at(offset), severity: 'warning' });
  }
  const value = parsed.value;
  // Empty documents (`---` alone, only comments) are not objects and not errors.
  if (value === undefined || value === null) return;
  if (parsed.collectionKeyOffset !== undefined) {
    const template = findTemplateAction(text, parsed.collectionKeyOffset);
    fail(
      collector,
      'TEMPLATE_NOT_RENDERED',
      `${TEMPLATE_HINT} (\`{{ … }}\` parses as a mapping used as a key, which no Kubernetes object has)`,
      at(template >= 0 ? template : parsed.collectionKeyOffset),
    );
    return;
  }
  const rootOffset = typeof value === 'object' ? parsed.marks.startOffset(value) : undefined;
  addDocument(collector, value, {
    location: at(rootOffset ?? start),
    fieldPrefix: '',
    positions: chunkPositions(parsed.marks, at),
  });
}

function reportParseError(
  collector: ManifestCollector,
  parsed: Extract<ParseResult, { ok: false }>,
  text: string,
  json: boolean,
  at: (offset: number) => SourceLocation,
): void {
  const template = parsed.code === 'YAML_SYNTAX' ? findTemplateAction(text, parsed.offset) : -1;
  if (template >= 0) {
    fail(collector, 'TEMPLATE_NOT_RENDERED', `${TEMPLATE_HINT} (${parsed.message})`, at(template));
    return;
  }
  const code = parsed.code === 'YAML_SYNTAX' && json ? 'JSON_SYNTAX' : parsed.code;
  // "Unexpected end" errors point past the document: keep them on its last line.
  fail(collector, code, parsed.message, at(Math.min(parsed.offset, text.trimEnd().length)));
}

/**
 * Loads objects given as data (a parsed JSON body, an AdmissionReview's `request.object`): one
 * object, or an array of them. Same extraction and errors as text input, with field paths
 * (`/2/items/0/kind`) instead of lines; images have no `location`.
 */
export function loadManifestObjects(objects: unknown, options: ManifestLoadOptions = {}): LoadedManifests {
  const collector = newManifestCollector(options);
  if (Array.isArray(objects)) {
    for (let i = 0; i < objects.length; i++) {
      addDocument(collector, objects[i], { location: undefined, fieldPrefix: `/${i}`, positions: undefined });
    }
  } else if (objects !== undefined && objects !== null) {
    addDocument(collector, objects, { location: undefined, fieldPrefix: '', positions: undefined });
  }
  return collector.result;
}

function chunkPositions(marks: ParseMarks, locate: (offset: number) => SourceLocation): DocumentPositions {
  return {
    objectLocation(object) {
      const offset = marks.startOffset(object);
      return offset === undefined ? undefined : locate(offset);
    },
    valueLocation(mapping, key) {
      const offset = marks.valueOffset(mapping, key);
      return offset === undefined ? undefined : locate(offset);
    },
  };
}

/** Offset of a document's content: after comments and its `---` marker. */
function documentStart(text: string): number {
  const first = skipSeparation(text, 0);
  return text.startsWith('---', first) ? skipSeparation(text, first + 3) : first;
}

/** JSON syntax errors are reported as such for `.json` files, and for unnamed input that starts like JSON. */
function looksLikeJson(text: string, file: string | undefined): boolean {
  if (file !== undefined) return file.toLowerCase().endsWith('.json');
  const first = text.charCodeAt(skipSeparation(text, 0));
  return first === 0x7b /* { */ || first === 0x5b /* [ */;
}
