import { readFile, writeFile } from 'node:fs/promises';
import { type Diagnostic, loadManifestFiles, mergeFixes, reportVerdict } from '@pullguard/engine';
import { createTwoFilesPatch } from 'diff';
import { type PolicyFlags, resolveSettings } from '../config/settings.js';
import { setUpEngine } from '../engine-setup.js';
import { type ExitCode, exitCodeForRun, UsageError } from '../exit-codes.js';
import { applyFixes } from '../fix/edit-manifest.js';
import { displayPath } from '../format/check-result.js';
import { printDiagnostics } from '../io.js';

export interface FixOptions extends PolicyFlags {
  write?: boolean;
  diff?: boolean;
}

/**
 * `pullguard fix (--write | --diff) paths…`: writes the fixes rules ask for (an explicit
 * imagePullPolicy) into the source files.
 */
export async function runFix(paths: string[], options: FixOptions): Promise<ExitCode> {
  if (options.write === options.diff) {
    throw new UsageError(
      options.write
        ? 'give --write or --diff, not both'
        : 'give --write (change the files) or --diff (print a diff)',
    );
  }
  if (paths.length === 0) throw new UsageError('give the files or directories to fix');
  if (paths.includes('-')) throw new UsageError('fix edits files in place: stdin (-) is not supported');
  const cwd = process.cwd();
  const settings = await resolveSettings(options, cwd);
  const { engine } = await setUpEngine(settings, cwd);
  const errors: Diagnostic[] = [];
  let changedFiles = 0;
  let fields = 0;
  for await (const loaded of loadManifestFiles(paths, settings.manifests)) {
    const report = await engine.evaluate(loaded, { namespace: settings.namespace });
    errors.push(...report.errors);
    // One value per field (Always wins); findings under an active exemption are left alone.
    const fixes = mergeFixes(report.findings);
    if (fixes.length === 0 || loaded.file === undefined) continue;
    const file = loaded.file;
    // The loader keeps no text (memory stays flat): read it again, only for files that change.
    const text = await readFile(file, 'utf8');
    const outcome = applyFixes(text, fixes);
    for (const { fix, reason } of outcome.skipped) {
      process.stderr.write(`${displayPath(file, cwd)}: cannot fix ${fix.pointer}: ${reason}\n`);
    }
    if (outcome.text === text) continue;
    changedFiles++;
    fields += outcome.applied.length;
    if (options.diff) {
      const name = displayPath(file, cwd);
      process.stdout.write(createTwoFilesPatch(`a/${name}`, `b/${name}`, text, outcome.text));
    } else {
      await writeFile(file, outcome.text);
    }
  }
  printDiagnostics(errors);
  const verb = options.diff ? 'would set' : 'set';
  process.stderr.write(
    `${verb} ${fields} field${fields === 1 ? '' : 's'} in ${changedFiles} file${changedFiles === 1 ? '' : 's'}\n`,
  );
  return exitCodeForRun({ verdict: reportVerdict([], errors), blocking: 0 });
}
