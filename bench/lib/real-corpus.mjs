/**
 * The real corpus (`../shared/corpus/real`, manifests published by other projects), read in place.
 * Objects are unwrapped from `List`/`*List` items, as the API server would see them one by one;
 * documents no YAML parser accepts (an unrendered template) are skipped, as they would be by kubectl.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import { realCorpusDir } from './paths.mjs';

const MANIFEST_FILE = /\.(ya?ml|json)$/;

export function realCorpusFiles(dir = realCorpusDir) {
  return readdirSync(dir)
    .filter((name) => MANIFEST_FILE.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/** Parses one file's documents; js-yaml first (fast), the `yaml` package for what js-yaml rejects. */
function parseDocuments(text) {
  try {
    return jsYaml.loadAll(text);
  } catch {
    return parseAllDocuments(text, { logLevel: 'error' })
      .filter((doc) => doc.errors.length === 0)
      .map((doc) => doc.toJS());
  }
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `kind: List` and typed lists (`RoleList`) hold their objects in `items`. */
export function unwrapLists(document) {
  if (isObject(document) && typeof document.kind === 'string' && document.kind.endsWith('List')) {
    return Array.isArray(document.items) ? document.items.filter(isObject) : [];
  }
  return isObject(document) ? [document] : [];
}

let cached;

/** The runner parses the corpus once and hands it to each measurement process (lib/measure-child.mjs). */
export function useRealCorpus(corpus) {
  cached = corpus;
}

/** `{ files, objects: [{ file, object }] }`, loaded once per run. */
export function loadRealCorpus() {
  if (cached) return cached;
  const files = realCorpusFiles();
  const objects = [];
  let skipped = 0;
  for (const file of files) {
    let documents;
    try {
      documents = parseDocuments(readFileSync(file, 'utf8'));
    } catch {
      skipped++;
      continue;
    }
    for (const document of documents) {
      for (const object of unwrapLists(document)) objects.push({ file, object });
    }
  }
  cached = { dir: realCorpusDir, files, objects, skippedFiles: skipped };
  return cached;
}
