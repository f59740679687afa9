#!/usr/bin/env node
// `pnpm -s package-tarballs DIR [--no-build]`: the packages as they would be published, as npm
// tarballs in DIR, until they are on a registry (docs/cli.md#install):
//   npm install -g DIR/pullguard-cli-*.tgz                                  # the CLI (server included)
//   npm install DIR/pullguard-{engine,registry,sdk}-*.tgz                   # embed the engine in an app
//   npm install DIR/pullguard-{engine,registry,server}-*.tgz                # the server on its own
// The CLI's tarball carries the workspace packages in its bundle (packages/cli/scripts/bundle.mjs)
// and depends on public packages only; `pnpm pack` writes each `workspace:*` dependency of the
// others as the version in the workspace, which the tarballs installed together satisfy.
// Builds first (turbo: cached when nothing changed) unless --no-build. Prints the tarballs' paths.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = ['engine', 'registry', 'sdk', 'server', 'cli'];

const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const [target, ...extra] = args.filter((a) => a !== '--no-build');
if (target === undefined || extra.length > 0 || target.startsWith('-')) {
  process.stderr.write('usage: pnpm -s package-tarballs DIR [--no-build]\n');
  process.exit(2);
}
// biome-ignore lint/suspicious/noUndeclaredEnvVars: pnpm's directory it was run from (DIR is relative to it), not a turbo input
const out = resolve(process.env.INIT_CWD ?? process.cwd(), target);
mkdirSync(out, { recursive: true });

function run(command, commandArgs, cwd) {
  const result = spawnSync(command, commandArgs, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) {
    process.stderr.write(`${command} ${commandArgs.join(' ')} failed in ${cwd}\n`);
    process.exit(result.status ?? 1);
  }
}

if (build) {
  const filters = PACKAGES.map((p) => `--filter=./packages/${p}`);
  run('pnpm', ['exec', 'turbo', 'run', 'build', ...filters, '--output-logs=errors-only'], root);
}
for (const name of PACKAGES) {
  const dir = join(root, 'packages', name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  run('pnpm', ['pack', '--pack-destination', out], dir);
  // npm's naming: `@scope/name` → `scope-name-version.tgz`.
  process.stdout.write(
    `${join(out, `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`)}\n`,
  );
}
