import type { ErrorCategory, Verdict } from '@pullguard/engine';

/**
 * The ONE place where outcomes become process exit codes.
 * - 0: nothing blocking
 * - 1: blocking findings (per `--fail-on`) or failed policy tests
 * - 2: usage errors, and anything that could not be loaded: policies, plugins, config, inputs
 *
 * No runtime import of the engine here: `--help` and `--version` must not load it.
 */
export const EXIT = { ok: 0, blocking: 1, error: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const CATEGORY_EXIT: Record<ErrorCategory | 'usage', ExitCode> = {
  usage: EXIT.error,
  input: EXIT.error,
  policy: EXIT.error,
  internal: EXIT.error,
  // A rule that throws is reported as a finding with status `error`; it blocks through its action.
  rule: EXIT.blocking,
};

export function exitCodeForCategory(category: ErrorCategory | 'usage'): ExitCode {
  return CATEGORY_EXIT[category];
}

/** A command-line mistake: unknown option, missing argument, conflicting flags, refusing to overwrite. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The report's `error` verdict (input that could not be read) is exit 2 and outranks findings: a
 * run that could not read all of its input is never green. Otherwise the findings that block under
 * `--fail-on` decide.
 */
export function exitCodeForRun(outcome: { verdict: Verdict; blocking: number }): ExitCode {
  if (outcome.verdict === 'error') return exitCodeForCategory('input');
  return outcome.blocking > 0 ? EXIT.blocking : EXIT.ok;
}
