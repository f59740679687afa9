import { loadManifestFiles } from '@pullguard/engine';
import { ReportAccumulator } from '../check/report-accumulator.js';
import { resolveSettings } from '../config/settings.js';
import { governingRules, setUpEngine } from '../engine-setup.js';
import { type ExitCode, exitCodeForRun, UsageError } from '../exit-codes.js';
import { type CheckResult, isBlocking, type WorkloadSeen } from '../format/check-result.js';
import type { CheckFormat, FailOn } from '../format/formats.js';
import { loadFormatter } from '../format/index.js';
import { emit, printDiagnostics, useColor } from '../io.js';
import { startProgress } from '../progress.js';

export interface CheckOptions {
  policy?: string[];
  plugin?: string[];
  config?: string;
  namespace?: string;
  namespacesFile?: string;
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
  const workloads: WorkloadSeen[] = [];
  const rulesFor = format === 'junit' ? governingRules(engine, namespaceLabels) : undefined;
  const progress = await startProgress(options.quiet === true);
  let files = 0;
  // One file at a time: its documents are dropped once evaluated, only findings are kept.
  for await (const loaded of loadManifestFiles(paths)) {
    files++;
    accumulator.add(await engine.evaluate(loaded, { namespace: settings.namespace }));
    if (rulesFor) {
      for (const object of loaded.objects) {
        if (!object.workload) continue;
        const namespace = object.namespace ?? settings.namespace;
        workloads.push({
          file: loaded.file,
          kind: object.kind,
          name: object.name,
          namespace,
          location: object.location,
          rules: rulesFor(namespace),
        });
      }
    }
    progress.tick(loaded.file ?? '');
  }
  progress.stop();

  const stats = engine.cacheStats();
  const report = accumulator.result({ hits: stats.hits, misses: stats.misses });
  const result: CheckResult = { report, workloads, rules: engine.rules(), failOn, files };
  printDiagnostics(report.errors);
  if (!options.quiet) printDiagnostics(report.warnings);
  const formatter = await loadFormatter(format);
  const color = format === 'table' && options.output === undefined && useColor(process.stdout, options.color);
  await emit(formatter(result, { cwd, color, version: options.version }), options.output);
  return exitCodeForRun({
    loadErrors: report.errors.length,
    blocking: report.findings.filter((f) => isBlocking(f, failOn)).length,
  });
}
