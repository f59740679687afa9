#!/usr/bin/env node
// deploy/ holds what `pullguard export deploy` prints, made by the BUILT binary. After `pnpm build`:
//   node packages/cli/scripts/render-deploy.mjs           rewrite deploy/
//   node packages/cli/scripts/render-deploy.mjs --check   change nothing; exit 1 naming the stale files
// (test/export-deploy.test.ts runs --check: deploy/ that no longer matches the binary fails the tests.)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(root, 'packages/cli/dist/bin.js');

/**
 * Each file of deploy/ and the arguments that print it, run from the repository root. The bundled
 * baseline policy, named explicitly so that nothing in the working tree changes the output;
 * cert-manager TLS (a --self-signed output holds a private key made at the time: never committed).
 */
const BASELINE = [
  'export',
  'deploy',
  '--namespace',
  'pullguard-system',
  '--policy',
  'packages/cli/policies/baseline.yaml',
];
export const FILES = {
  'deploy/pullguard.yaml': BASELINE,
  'deploy/pullguard-with-vap.yaml': [...BASELINE, '--with-vap'],
};

function render(args) {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) {
    process.stderr.write(`pullguard ${args.join(' ')} exited ${run.status}:\n${run.stderr}`);
    process.exit(2);
  }
  return run.stdout;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const [file, args] of Object.entries(FILES)) {
    const path = join(root, file);
    const text = render(args);
    if (existsSync(path) && readFileSync(path, 'utf8') === text) continue;
    stale.push(file);
    if (!check) writeFileSync(path, text);
  }
  if (check && stale.length > 0) {
    process.stdout.write(
      `stale: ${stale.join(', ')}: run \`node packages/cli/scripts/render-deploy.mjs\` (after \`pnpm build\`)\n`,
    );
    process.exit(1);
  }
  process.stdout.write(stale.length === 0 ? 'deploy/: up to date\n' : `updated ${stale.join(', ')}\n`);
}
