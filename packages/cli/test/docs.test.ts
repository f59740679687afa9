/**
 * The documentation shows what the product does: every console block of docs/cli.md, the README
 * and docs/registry.md (whose walk-through runs against a real registry) is what the built binary
 * prints (scripts/render-doc.mjs), and no document or example tells users to install a package
 * that is not on a registry.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI_DIR, REPO_ROOT } from './helpers.js';

const run = promisify(execFile);

describe('docs/cli.md, README.md and docs/registry.md', () => {
  it('show exactly what the built binary prints (render-doc.mjs --check)', async () => {
    const check = await run(process.execPath, [join(CLI_DIR, 'scripts', 'render-doc.mjs'), '--check'], {
      cwd: REPO_ROOT,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout: string; stderr: string }) => error);
    expect(check.stderr).toBe('');
    expect(check.stdout).toMatch(/up to date\n$/);
  }, 180_000);
});

/** Markdown and workflow files users read and copy from. */
function userFacing(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : userFacing(path);
    return /\.(md|ya?ml)$/.test(entry.name) ? [path] : [];
  });
}

describe('install instructions', () => {
  it('never fetch an unpublished @pullguard package from a registry (they install from tarballs)', () => {
    const files = [
      join(REPO_ROOT, 'README.md'),
      ...userFacing(join(REPO_ROOT, 'docs')),
      ...userFacing(join(REPO_ROOT, 'examples')),
    ];
    // `npm install -g @pullguard/cli`, `npx @pullguard/cli@0 check`, `pnpm add @pullguard/sdk`…
    const fetch =
      /\b(?:npm (?:install|i|add)|npx|pnpm (?:add|dlx)|yarn (?:add|dlx))\b[^\n]*?(?<![\w./-])@pullguard\//;
    const offenders = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          fetch.test(line) ? [`${relative(REPO_ROOT, file)}:${i + 1}: ${line.trim()}`] : [],
        ),
    );
    expect(files.length).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });
});
