/**
 * The floor for `pullguard check`: read every manifest file under the given paths and parse it with
 * the named parser (JSON files with JSON.parse), nothing else. argv: <js-yaml|yaml> <paths...>
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [parserName, ...paths] = process.argv.slice(2);
const MANIFEST = /\.(ya?ml|json)$/;

async function parser(name) {
  if (name === 'js-yaml') {
    const { default: jsYaml } = await import('js-yaml');
    return (text) => jsYaml.loadAll(text);
  }
  const { parseAllDocuments } = await import('yaml');
  return (text) =>
    parseAllDocuments(text, { logLevel: 'error' }).map((doc) => doc.toJS({ logLevel: 'error' }));
}

function* files(path) {
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) yield* files(join(path, entry));
  } else if (MANIFEST.test(path)) {
    yield path;
  }
}

const parse = await parser(parserName);
let documents = 0;
for (const path of paths) {
  for (const file of files(path)) {
    const text = readFileSync(file, 'utf8');
    try {
      const parsed = file.endsWith('.json') ? [JSON.parse(text)] : parse(text);
      documents += parsed.length;
    } catch {
      // a file no parser accepts (an unrendered template) costs its read and the failed parse
    }
  }
}
process.stderr.write(`${documents}\n`);
