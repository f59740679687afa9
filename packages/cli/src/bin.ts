#!/usr/bin/env node
// The `pullguard` executable. Kept tiny: every command's code is imported only when it runs,
// so `pullguard check` never loads the server, and `--help` loads neither.
import { setFlagsFromString } from 'node:v8';
import { run } from './program.js';

// Every command but `serve` is a short-lived process that allocates most of its heap at once (a
// directory of manifests parses into many MB of short-lived trees). V8's young generation starts
// at 1 MB and doubles at each growth, so such a run spends ~15 scavenges, copying the trees it is
// still building, before it reaches full size; growing to full size in one step halves the GC
// pauses of `check` over the real corpus (docs/cli.md#performance). V8 reads this factor at each
// growth, so setting it here, at start-up, takes effect. `serve` keeps V8's default: it is
// long-lived and has a memory budget.
if (process.argv[2] !== 'serve') setFlagsFromString('--semi-space-growth-factor=16');

// `pullguard check … | head`: the reader went away; stop quietly instead of crashing on EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await run(process.argv.slice(2));
