/** What a reader needs to reproduce a figure: Node, CPU, load, commit and the versions of what was measured. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchDir, repoRoot } from './paths.mjs';

const PACKAGES = ['@bufbuild/cel', 'autocannon', 'express', 'js-yaml', 'json-logic-js', 'yaml'];
const WORKSPACE = ['engine', 'server', 'cli'];

function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // not Linux: fall back to what os.cpus() says
  }
  return cpus()[0]?.model ?? 'unknown';
}

function packageVersion(name) {
  const require = createRequire(join(benchDir, 'package.json'));
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
  } catch {
    // packages without an exported package.json: walk from the main entry
    try {
      const main = require.resolve(name);
      const root = main.slice(
        0,
        main.lastIndexOf(`/node_modules/${name}/`) + `/node_modules/${name}/`.length,
      );
      return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
    } catch {
      return 'not installed';
    }
  }
}

function gitCommit() {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return 'unknown';
  }
}

export function environment() {
  const versions = Object.fromEntries(PACKAGES.map((name) => [name, packageVersion(name)]));
  for (const pkg of WORKSPACE) {
    try {
      versions[`@pullguard/${pkg}`] = JSON.parse(
        readFileSync(join(repoRoot, 'packages', pkg, 'package.json'), 'utf8'),
      ).version;
    } catch {
      versions[`@pullguard/${pkg}`] = 'missing';
    }
  }
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpuModel(),
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    commit: gitCommit(),
    date: new Date().toISOString(),
    versions,
  };
}
