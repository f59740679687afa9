#!/usr/bin/env node
// The `pullguard` executable. Kept tiny: every command's code is imported only when it runs,
// so `pullguard check` never loads the server, and `--help` loads neither.
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2));
