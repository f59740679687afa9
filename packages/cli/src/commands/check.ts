import { listManifestInputs, type ManifestInput } from '@pullguard/engine';
import { evaluateFiles } from '../check/evaluate-files.js';
import { listManifestFiles } from '../check/list-files.js';
import { evaluateInWorkers, workerCount } from '../check/parallel.js';
import { ReportAccumulator } from '../check/report-accumulator.js';
import { type PolicyFlags, resolveSettings } from '../config/settings.js';
import { governingRules, setUpEngine } from '../engine-setup.js';
import { type ExitCode, exitCodeForRun, UsageError } from '../exit-codes.js';
import { type CheckResult, isBlocking, type WorkloadSeen } from '../format/check-result.js';
import type { CheckFormat, FailOn } from '../format/formats.js';
import { loadFormatter } from '../format/index.js';
import { emit, printDiagnostics, useColor } from '../io.js';
import { startProgress } from '../progress.js';

export interface CheckOptions extends PolicyFlags {
  format?: CheckFormat;
  output?: string;
  failOn?: FailOn;
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
  const { engine, namespaceLabels } = await setUpEngine(settings, cwd);
  const accumulator = new ReportAccumulator();
  // Only JUnit reports passing rules, so only JUnit needs the list of workloads.
  const withWorkloads = format === 'junit';
  const workloads: WorkloadSeen[] = [];
  const files = await listManifestFiles(paths);
  const progress = await startProgress(files?.length, options.quiet === true);
  const workers = files ? workerCount(files.length) : 1;
  const cache = { hits: 0, misses: 0 };
  const context = {
    engine,
    manifests: settings.manifests,
    namespace: settings.namespace,
    rulesFor: withWorkloads ? governingRules(engine, namespaceLabels) : undefined,
  };
  const local = (share: readonly ManifestInput[]) => evaluateFiles(share, context);
  const results =
    files && workers > 1
      ? evaluateInWorkers(files, workers, local, { settings, cwd, withWorkloads }, cache)
      : evaluateFiles(files ?? listManifestInputs(paths), context);
  let count = 0;
  for await (const result of results) {
    count++;
    accumulator.add(result.report);
    workloads.push(...result.workloads);
    progress.tick(result.file ?? '');
  }
  progress.stop();
  // Workers finish in any order: keep JUnit's suites in file order.
  workloads.sort((a, b) => ((a.file ?? '') < (b.file ?? '') ? -1 : (a.file ?? '') > (b.file ?? '') ? 1 : 0));
  const stats = engine.cacheStats();
  cache.hits += stats.hits;
  cache.misses += stats.misses;
  const report = accumulator.result(cache);
  const result: CheckResult = { report, workloads, rules: engine.rules(), failOn, files: count };
  printDiagnostics(report.errors);
  if (!options.quiet) printDiagnostics(report.warnings);
  const formatter = await loadFormatter(format);
  const color = format === 'table' && options.output === undefined && useColor(process.stdout, options.color);
  await emit(formatter(result, { cwd, color, version: options.version }), options.output);
  return exitCodeForRun({
    verdict: report.verdict,
    blocking: report.findings.filter((f) => isBlocking(f, failOn)).length,
  });
}
