#!/usr/bin/env node
// Regenerates the example outputs in docs/cli.md from the BUILT binary, so the page always shows
// real output: every ```console block preceded by a `<!-- run: … -->` comment is replaced by the
// command's output. Usage (after `pnpm build`): node packages/cli/scripts/render-doc.mjs
//
// Comment syntax: `<!-- run: [option]… shell command -->`, options:
//   [stderr]       include stderr (2>&1)          [code]     append `$ echo $?` and the exit code
//   [cwd=DIR]      run in DIR (created empty)      [show=…]   the command line shown instead
//   [head=N]       keep the first N lines
// `pullguard` in the command runs packages/cli/dist/bin.js.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(root, 'packages/cli/dist/bin.js');
const docPath = join(root, 'docs/cli.md');
const scratch = mkdtempSync(join(tmpdir(), 'pullguard-doc-'));

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

function render(spec) {
  const { options, command } = parse(spec);
  const cwd = options.cwd ? join(scratch, options.cwd) : root;
  mkdirSync(cwd, { recursive: true });
  const shell = command.replaceAll(/\bpullguard /g, `node ${bin} `) + (options.stderr ? ' 2>&1' : '');
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  const run = spawnSync('bash', ['-c', shell], { cwd, env, encoding: 'utf8' });
  let out = run.stdout.trimEnd();
  if (options.head) out = `${out.split('\n').slice(0, Number(options.head)).join('\n')}\n…`;
  const code = options.code ? `\n$ echo $?\n${run.status}` : '';
  return `\`\`\`console\n$ ${options.show ?? command}\n${out}${code}\n\`\`\``;
}

const doc = readFileSync(docPath, 'utf8');
const updated = doc.replaceAll(
  /(<!-- run: ([\s\S]*?) -->\n)```console\n[\s\S]*?\n```/g,
  (_, comment, spec) => comment + render(spec),
);
writeFileSync(docPath, updated);
rmSync(scratch, { recursive: true, force: true });
// The repository's formatter also formats Markdown (tables): leave the page as `pnpm lint` wants it.
spawnSync(join(root, 'node_modules/.bin/biome'), ['format', '--write', docPath], { stdio: 'ignore' });
process.stdout.write(updated === doc ? 'docs/cli.md is up to date\n' : 'docs/cli.md updated\n');
