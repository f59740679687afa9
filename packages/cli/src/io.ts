import { writeFile } from 'node:fs/promises';
import {
  type Diagnostic,
  formatDiagnostic,
  isPullguardError,
  PullguardAggregateError,
} from '@pullguard/engine';
import { UsageError } from './exit-codes.js';

/** Everything a command prints about problems goes to stderr; stdout carries only the result. */
export function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
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

/** Writes the command's result to `--output FILE` or stdout. */
export async function emit(text: string, output: string | undefined): Promise<void> {
  if (output) await writeFile(output, text);
  else process.stdout.write(text);
}

/** Colors only on a terminal, and never with --no-color or NO_COLOR (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  const noColor = process.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  return stream.isTTY === true;
}
