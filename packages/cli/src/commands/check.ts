import { systemClock } from '@pullguard/engine';
import { evaluateRun } from '../check/evaluate-run.js';
import { listManifestFiles } from '../check/list-files.js';
import { runNotes } from '../check/run-notes.js';
import { type PolicyFlags, resolveSettings } from '../config/settings.js';
import { setUpEngine } from '../engine-setup.js';
import { type ExitCode, exitCodeForRun, UsageError } from '../exit-codes.js';
import { buildCheckResult } from '../format/check-result.js';
import { type CheckFormat, type FailOn, FORMATS_WITH_WORKLOADS, type MinAction } from '../format/formats.js';
import { loadFormatter } from '../format/index.js';
import { emit, printDiagnostics, useColor } from '../io.js';

export interface CheckOptions extends PolicyFlags {
  format?: CheckFormat;
  output?: string;
  failOn?: FailOn;
  minAction?: MinAction;
  allowEmpty?: boolean;
  strictLabels?: boolean;
  render?: boolean;
  color?: boolean;
  quiet?: boolean;
  version: string;
}

export async function runCheck(paths: string[], options: CheckOptions): Promise<ExitCode> {
  if (paths.length === 0) {
    throw new UsageError(
      'nothing to check: give files or directories, or - to read stdin (e.g. `helm template . | pullguard check -`)',
    );
  }
  const cwd = process.cwd();
  const settings = await resolveSettings(options, cwd);
  const format = options.format ?? settings.config?.format ?? 'table';
  const failOn = options.failOn ?? settings.config?.failOn ?? 'deny';
  const setup = await setUpEngine(settings, cwd);
  const listed = await listManifestFiles(paths);
  const run = await evaluateRun(listed, setup, {
    settings,
    cwd,
    // Only formats that report passing rules need the list of workloads.
    withWorkloads: FORMATS_WITH_WORKLOADS.has(format),
    quiet: options.quiet === true,
    render: options.render === true,
  });
  run.accumulator.note(
    runNotes({
      paths,
      files: run.files,
      summary: run.accumulator.summary,
      loadErrors: run.accumulator.summary.errors,
      coverage: run.coverage,
      unrendered: run.unrendered,
      engine: setup.engine,
      policies: setup.policies,
      allowEmpty: options.allowEmpty === true,
      strictLabels: options.strictLabels === true,
    }),
  );
  const report = run.accumulator.result(run.cache);
  const result = buildCheckResult(
    { report, workloads: run.workloads, rules: setup.engine.rules(), failOn, files: run.files },
    options.minAction,
  );
  printDiagnostics(report.errors);
  if (!options.quiet) printDiagnostics(report.warnings);
  const formatter = await loadFormatter(format);
  const color = format === 'table' && options.output === undefined && useColor(process.stdout, options.color);
  await emit(formatter(result, { cwd, color, version: options.version, clock: systemClock }), options.output);
  // The summary reaches the terminal even when stdout does not carry it: a report written to a
  // file (-o), or compact's finding lines.
  if (!options.quiet && (options.output !== undefined || format === 'compact')) {
    const [{ summaryBlock }, { style }] = await Promise.all([
      import('../format/table.js'),
      import('../format/ansi.js'),
    ]);
    process.stderr.write(summaryBlock(result, style(useColor(process.stderr, options.color))));
  }
  return exitCodeForRun({ verdict: report.verdict, blocking: result.blocking });
}
