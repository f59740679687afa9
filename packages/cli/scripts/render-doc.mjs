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
// Two more comments set the scene for the commands after them, in document order:
//   `<!-- file: DIR/NAME -->` before a fenced block writes the block's text to DIR/NAME (the
//     scratch directory of [cwd=DIR]): the file the reader sees is the file the command reads;
//   `<!-- registry: push REPO:TAG seed=S [platforms=os/arch,…] -->` pushes a seeded image to a
//     real registry started for the document (doc-registry.mjs), written as 127.0.0.1:55000.
//     Without docker-registry (and outside CI) such a document is skipped, with a notice.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docRegistryUnavailable, startDocRegistry } from './doc-registry.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(root, 'packages/cli/dist/bin.js');
/** The documents whose console blocks are generated. */
export const DOCS = ['docs/cli.md', 'README.md', 'docs/registry.md'];
/** A console block and the run comment before it (the comment is optional: every block must have one). */
export const BLOCK = /(?:<!-- run: ([^\n]*?) -->\n)?```console\n(?:[\s\S]*?\n)??```/g;
/** What a document says, in order: registry pushes, files, and console blocks. */
const STEP = new RegExp(
  `<!-- registry: ([^\\n]*?) -->|<!-- file: ([^\\n]*?) -->\\n\`\`\`[\\w-]*\\n([\\s\\S]*?)\`\`\`|${BLOCK.source}`,
  'g',
);

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

function render(spec, scratch, registry) {
  const { options, command } = parse(spec);
  const cwd = options.cwd ? join(scratch, options.cwd) : root;
  mkdirSync(cwd, { recursive: true });
  // Grouped, so that [stderr] takes the stderr of every command in the line.
  const real = registry?.toReal(command) ?? command;
  const shell = `{ ${real.replaceAll(/\bpullguard /g, `node ${bin} `)}\n}${options.stderr ? ' 2>&1' : ''}`;
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  const run = spawnSync('bash', ['-c', shell], { cwd, env, encoding: 'utf8' });
  let out = registry?.toShown(run.stdout.trimEnd()) ?? run.stdout.trimEnd();
  if (options.head) {
    const lines = out.split('\n');
    const tail = options.tail ? lines.slice(-Number(options.tail)) : [];
    out = [...lines.slice(0, Number(options.head)), '…', ...tail].join('\n');
  }
  const code = options.code ? `\n$ echo $?\n${run.status}` : '';
  return `\`\`\`console\n$ ${options.show ?? command}\n${out}${code}\n\`\`\``;
}

/**
 * The document with every console block regenerated, its registry pushes and files applied in
 * order; throws on a console block without a run comment.
 */
export async function renderDocument(text, file) {
  const scratch = mkdtempSync(join(tmpdir(), 'pullguard-doc-'));
  let registry;
  try {
    let out = '';
    let at = 0;
    for (const match of text.matchAll(STEP)) {
      const [step, push, path, content, spec] = match;
      out += text.slice(at, match.index);
      at = match.index + step.length;
      if (push !== undefined) {
        registry ??= await startDocRegistry();
        await registry.run(push);
        out += step;
      } else if (path !== undefined) {
        mkdirSync(dirname(join(scratch, path)), { recursive: true });
        writeFileSync(join(scratch, path), registry?.toReal(content) ?? content);
        out += step;
      } else if (spec === undefined) {
        throw new Error(`${file}: a \`\`\`console block without a <!-- run: … --> comment:\n${step}`);
      } else {
        out += `<!-- run: ${spec} -->\n${render(spec, scratch, registry)}`;
      }
    }
    return out + text.slice(at);
  } finally {
    await registry?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Why `text` cannot be rendered here (it pushes to a registry, and none can run), or undefined. */
async function unrenderable(text) {
  if (!text.includes('<!-- registry: ') || process.env.CI) return undefined;
  return docRegistryUnavailable();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const doc of DOCS) {
    const path = join(root, doc);
    const text = readFileSync(path, 'utf8');
    const missing = await unrenderable(text);
    if (missing !== undefined) {
      process.stdout.write(`${doc}: SKIPPED, not checked: ${missing}\n`);
      continue;
    }
    const updated = await renderDocument(text, doc);
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
