#!/usr/bin/env node
// The example outputs in docs/cli.md and README.md come from the BUILT binary: every ```console
// block is preceded by a `<!-- run: … -->` comment, and this script replaces the block with what
// the command prints. After `pnpm build`:
//   node packages/cli/scripts/render-doc.mjs           rewrite the docs
//   node packages/cli/scripts/render-doc.mjs --check   change nothing; exit 1 and show what differs
// (test/docs.test.ts runs --check: a doc that no longer matches the binary fails the tests.)
//
// Comment syntax: `<!-- run: [option]… shell command -->`, options:
//   [stderr]       include stderr (2>&1)          [code]     append `$ echo $?` and the exit code
//   [cwd=DIR]      run in DIR (created empty)      [show=…]   the command line shown instead
//   [head=N]       keep the first N lines, then …  [tail=N]   and (with head) the last N lines
// `pullguard` in the command runs packages/cli/dist/bin.js; commands run from the repository root.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(root, 'packages/cli/dist/bin.js');
/** The documents whose console blocks are generated. */
export const DOCS = ['docs/cli.md', 'README.md'];
/** A console block and the run comment before it (the comment is optional: every block must have one). */
export const BLOCK = /(?:<!-- run: ([^\n]*?) -->\n)?```console\n(?:[\s\S]*?\n)??```/g;

function parse(spec) {
  const options = {};
  let rest = spec.trim();
  for (
    let m = /^\[([a-z]+)(?:=([^\]]*))?\]\s*/.exec(rest);
    m;
    m = /^\[([a-z]+)(?:=([^\]]*))?\]\s*/.exec(rest)
  ) {
    options[m[1]] = m[2] ?? true;
    rest = rest.slice(m[0].length);
  }
  return { options, command: rest };
}

function render(spec, scratch) {
  const { options, command } = parse(spec);
  const cwd = options.cwd ? join(scratch, options.cwd) : root;
  mkdirSync(cwd, { recursive: true });
  // Grouped, so that [stderr] takes the stderr of every command in the line.
  const shell = `{ ${command.replaceAll(/\bpullguard /g, `node ${bin} `)}\n}${options.stderr ? ' 2>&1' : ''}`;
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  const run = spawnSync('bash', ['-c', shell], { cwd, env, encoding: 'utf8' });
  let out = run.stdout.trimEnd();
  if (options.head) {
    const lines = out.split('\n');
    const tail = options.tail ? lines.slice(-Number(options.tail)) : [];
    out = [...lines.slice(0, Number(options.head)), '…', ...tail].join('\n');
  }
  const code = options.code ? `\n$ echo $?\n${run.status}` : '';
  return `\`\`\`console\n$ ${options.show ?? command}\n${out}${code}\n\`\`\``;
}

/** The document with every console block regenerated; throws on a console block without a run comment. */
export function renderDocument(text, file) {
  const scratch = mkdtempSync(join(tmpdir(), 'pullguard-doc-'));
  try {
    return text.replaceAll(BLOCK, (block, spec) => {
      if (spec === undefined) {
        throw new Error(`${file}: a \`\`\`console block without a <!-- run: … --> comment:\n${block}`);
      }
      return `<!-- run: ${spec} -->\n${render(spec, scratch)}`;
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const doc of DOCS) {
    const path = join(root, doc);
    const text = readFileSync(path, 'utf8');
    const updated = renderDocument(text, doc);
    if (updated === text) continue;
    stale++;
    if (!check) {
      writeFileSync(path, updated);
      process.stdout.write(`${doc} updated\n`);
      continue;
    }
    const was = [...text.matchAll(BLOCK)].map((m) => m[0]);
    const now = [...updated.matchAll(BLOCK)].map((m) => m[0]);
    for (const [i, block] of was.entries()) {
      if (block !== now[i])
        process.stdout.write(`${doc} shows:\n${block}\nthe binary prints:\n${now[i]}\n\n`);
    }
  }
  if (check && stale > 0) {
    process.stdout.write('run `node packages/cli/scripts/render-doc.mjs` (after `pnpm build`) to update\n');
    process.exit(1);
  }
  if (stale === 0) process.stdout.write(`${DOCS.join(', ')}: up to date\n`);
}
