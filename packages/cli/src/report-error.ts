import { ERROR_CODES, isPullguardError, PullguardAggregateError } from '@pullguard/engine';
import { type ExitCode, exitCodeForCategory, UsageError } from './exit-codes.js';
import { printDiagnostics } from './io.js';

/** The exit code of an error a command threw: its category's (an aggregate takes the worst). */
export function exitCodeForError(error: unknown): ExitCode {
  if (error instanceof UsageError) return exitCodeForCategory('usage');
  if (isPullguardError(error)) return exitCodeForCategory(error.category);
  if (error instanceof PullguardAggregateError) {
    const codes = error.diagnostics.map((d) => exitCodeForCategory(ERROR_CODES[d.code].category));
    return Math.max(...codes) as ExitCode;
  }
  return exitCodeForCategory('internal');
}

/** Prints an error thrown by a command in the one textual form (`file:line:column: CODE message`). */
export function reportError(error: unknown): void {
  if (error instanceof PullguardAggregateError) printDiagnostics(error.diagnostics);
  else if (isPullguardError(error)) printDiagnostics([error.toDiagnostic()]);
  else if (error instanceof UsageError) process.stderr.write(`error: ${error.message}\n`);
  else
    process.stderr.write(
      `INTERNAL ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
}
