/**
 * How much loading manifests costs over bare YAML parsing, on the real corpus (not a test; run
 * `npx vitest bench --run src/manifests` in packages/engine). Numbers and the choice they led to:
 * docs/architecture.md, "YAML parsing".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load, loadAll } from 'js-yaml';
import { bench, describe } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { SHARED_CORPUS_DIR as CORPUS, HAS_SHARED_CORPUS } from '../../../../vitest.corpus.js';
import { loadManifests } from './load-manifests.js';
import { WELL_KNOWN_POD_SPEC_PATHS } from './workload-kinds.js';

const files = HAS_SHARED_CORPUS
  ? readdirSync(CORPUS)
      .filter((name) => /\.(?:ya?ml|json)$/.test(name))
      .sort()
      .map((name) => ({ name, text: readFileSync(join(CORPUS, name), 'utf8') }))
  : [];

const each = (parse: (text: string, name: string) => unknown) => () => {
  for (const { name, text } of files) {
    try {
      parse(text, name);
    } catch {
      // the unrendered template
    }
  }
};

describe(`${files.length} real-corpus files`, () => {
  bench(
    'js-yaml loadAll (floor: parse only)',
    each((text) => loadAll(text)),
  );
  bench(
    'loadManifests (parse + locations + extraction)',
    each((text, file) => loadManifests(text, { file, podSpecPaths: WELL_KNOWN_POD_SPEC_PATHS })),
  );
  bench(
    'yaml parseAllDocuments + toJS (positions kept in nodes)',
    each((text) => parseAllDocuments(text, { logLevel: 'error' }).map((d) => d.toJS())),
    {
      iterations: 5,
    },
  );
});

// `kubectl get … -o json` output: the corpus's objects as one List (about 6 MB of indented JSON).
const items: unknown[] = [];
for (const { text } of files) {
  try {
    loadAll(text, (document) => {
      if (document !== null && document !== undefined) items.push(document);
    });
  } catch {
    // the unrendered template
  }
}
const listJson = JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2);

describe(`one JSON List of the corpus's ${items.length} documents (${(listJson.length / 1e6).toFixed(1)} MB)`, () => {
  bench('JSON.parse (floor)', () => {
    JSON.parse(listJson);
  });
  bench('loadManifests (JSON.parse + offset scan + extraction)', () => {
    const loaded = loadManifests(listJson, {
      file: 'list.json',
      podSpecPaths: WELL_KNOWN_POD_SPEC_PATHS,
      limits: { maxDocumentBytes: 16 * 1024 * 1024 },
    });
    if (loaded.images.length === 0) throw new Error('the List did not load');
  });
  bench('js-yaml load (JSON read as YAML)', () => {
    load(listJson);
  });
});
