#!/usr/bin/env node
// Start-up cost of `pullguard check` on one small file, as CPU time (user + system, from
// /usr/bin/time): on a loaded machine CPU time is far steadier than wall time. Runs the given
// binaries interleaved (A B A B …) so load changes hit all of them alike, plus `node -e ''`, and
// prints the median of each and its overhead over bare node.
//   node packages/cli/scripts/measure-startup.mjs [pairs=7] bin.js [other-bin.js …]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [pairsArg, ...bins] = process.argv.slice(2);
const pairs = Number(pairsArg ?? 7);
const file = fileURLToPath(new URL('../test/__fixtures__/manifests/clean.yaml', import.meta.url));
const cpuMs = (args) => {
  const run = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...args], { encoding: 'utf8' });
  const [user, sys] = run.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return Math.round((user + sys) * 1000);
};
const runs = { node: [], ...Object.fromEntries(bins.map((b) => [b, []])) };
for (let i = 0; i < pairs; i++) {
  runs.node.push(cpuMs(['-e', '']));
  for (const bin of bins) runs[bin].push(cpuMs([bin, 'check', '--quiet', file]));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(runs.node);
for (const [name, xs] of Object.entries(runs)) {
  const m = median(xs);
  console.log(
    `${name}: median ${m} ms CPU${name === 'node' ? '' : ` (overhead ${m - base} ms)`}; runs ${xs.join(' ')}`,
  );
}
