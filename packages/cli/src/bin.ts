#!/usr/bin/env node
// The `pullguard` executable. Kept tiny: every command's code is imported only when it runs,
// so `pullguard check` never loads the server, and `--help` loads neither.
import { run } from './program.js';

// `pullguard check … | head`: the reader went away; stop quietly instead of crashing on EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await run(process.argv.slice(2));
