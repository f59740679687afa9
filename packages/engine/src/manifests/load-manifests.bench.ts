/**
 * How much loading manifests costs over bare YAML parsing, on the real corpus (not a test; run
 * `npx vitest bench --run src/manifests` in packages/engine). Numbers and the choice they led to:
 * docs/architecture.md, "YAML parsing".
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAll } from 'js-yaml';
import { bench, describe } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadManifests } from './load-manifests.js';
import { WELL_KNOWN_POD_SPEC_PATHS } from './workload-kinds.js';

const CORPUS = fileURLToPath(new URL('../../../../../shared/corpus/real', import.meta.url));
const files = existsSync(CORPUS)
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
