import { writeFile } from 'node:fs/promises';
import { type Diagnostic, formatDiagnostic } from '@pullguard/engine';

/** Everything a command prints about problems goes to stderr; stdout carries only the result. */
export function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
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
