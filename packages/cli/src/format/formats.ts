/** Output formats of `pullguard check` (the formatter modules are loaded only when used). */
export const CHECK_FORMATS = ['table', 'json', 'sarif', 'junit', 'github'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

/** `--fail-on`: which actions make the exit code 1. */
export const FAIL_ON = ['deny', 'warn', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];
