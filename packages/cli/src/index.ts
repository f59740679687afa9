// The whole public API of @pullguard/cli (the binary is dist/bin.js).

export { EXIT, type ExitCode } from './exit-codes.js';
/** The `version` field of `pullguard check --format json` (docs/cli.md#json). */
export { JSON_REPORT_VERSION } from './format/json.js';
/** Runs `pullguard` with these arguments in this process; resolves to the exit code. */
export { run } from './program.js';
