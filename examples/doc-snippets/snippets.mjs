// @ts-check
/**
 * Keeps the code in docs/*.md identical to files that tests compile and run. In markdown, a code
 * block preceded by `<!-- snippet: <path from the repository root>[#region] -->` must equal that
 * file (or the lines between `// #region <name>` and `// #endregion <name>` in it, dedented).
 *
 *   node examples/doc-snippets/snippets.mjs          # check: exit 1 and list blocks that differ
 *   node examples/doc-snippets/snippets.mjs --write  # rewrite the blocks from the files
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const REPO_ROOT = new URL('../../', import.meta.url);
export const DOCUMENTS = ['docs/sdk.md', 'docs/plugins.md'];

const MARKED_BLOCK = /<!-- snippet: (\S+?)(?:#(\S+))? -->\n```(\w*)\n([\s\S]*?)```/g;

/**
 * @typedef {{ path: string, region: string | undefined, language: string, code: string, start: number, end: number }} Snippet
 */

/** @param {string} markdown @returns {Snippet[]} */
export function findSnippets(markdown) {
  return [...markdown.matchAll(MARKED_BLOCK)].map((m) => ({
    path: m[1] ?? '',
    region: m[2],
    language: m[3] ?? '',
    code: m[4] ?? '',
    start: m.index,
    end: m.index + m[0].length,
  }));
}

/**
 * The file's text, or its region: the lines between `// #region <name>` and `// #endregion <name>`,
 * each piece dedented, pieces joined by a blank line (a region may appear several times, e.g. the
 * imports and a function body). Ends with a newline.
 * @param {string} path
 * @param {string | undefined} region
 */
export function readSnippetSource(path, region) {
  const text = readFileSync(new URL(path, REPO_ROOT), 'utf8');
  if (region === undefined) return text.endsWith('\n') ? text : `${text}\n`;
  const pieces = [];
  /** @type {string[] | undefined} */
  let piece;
  for (const line of text.split('\n')) {
    if (line.trim() === `// #region ${region}`) piece = [];
    else if (line.trim() === `// #endregion ${region}` && piece) {
      pieces.push(dedent(piece));
      piece = undefined;
    } else if (piece && !/^\s*\/\/ #(?:end)?region /.test(line)) piece.push(line);
  }
  if (pieces.length === 0 || piece)
    throw new Error(
      `${path}: no complete region "${region}" (// #region ${region} … // #endregion ${region})`,
    );
  return `${pieces.join('\n\n')}\n`;
}

/** @param {string[]} lines */
function dedent(lines) {
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)?.[0].length ?? 0));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** The markdown with every marked block replaced by its source. @param {string} markdown */
export function syncMarkdown(markdown) {
  let out = '';
  let last = 0;
  for (const s of findSnippets(markdown)) {
    const marker = `<!-- snippet: ${s.path}${s.region ? `#${s.region}` : ''} -->`;
    out += `${markdown.slice(last, s.start)}${marker}\n\`\`\`${s.language}\n${readSnippetSource(s.path, s.region)}\`\`\``;
    last = s.end;
  }
  return out + markdown.slice(last);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const write = process.argv.includes('--write');
  let stale = 0;
  for (const doc of DOCUMENTS) {
    const path = new URL(doc, REPO_ROOT);
    const text = readFileSync(path, 'utf8');
    const synced = syncMarkdown(text);
    if (synced === text) continue;
    if (write) writeFileSync(path, synced);
    else stale++;
    console.log(`${write ? 'updated' : 'out of date'}: ${doc}`);
  }
  process.exitCode = stale > 0 ? 1 : 0;
}
