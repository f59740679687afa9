import { loadManifests } from '@pullguard/engine';
import type { Settings } from '../config/settings.js';
import type { EngineSetup } from '../engine-setup.js';
import type { WorkloadSeen } from '../format/check-result.js';
import { startProgress } from '../progress.js';
import { type Coverage, emptyCoverage, mergeCoverage } from './coverage.js';
import { evaluateFiles, evaluateLoaded, evaluationContext, type FileResult } from './evaluate-files.js';
import type { ListedInputs } from './list-files.js';
import { evaluateInWorkers, workerCount } from './parallel.js';
import { notRendered, render, renderCommand } from './render-sources.js';
import { ReportAccumulator } from './report-accumulator.js';

export interface RunOptions {
  settings: Settings;
  cwd: string;
  /** Keep the workloads seen (JUnit reports passing rules too). */
  withWorkloads: boolean;
  quiet: boolean;
  /** `--render`: run kubectl kustomize / helm template for the sources found; else warn about each. */
  render: boolean;
}

/** A run's outcome before its notes: the report so far, and what it could not judge. */
export interface RunOutcome {
  accumulator: ReportAccumulator;
  workloads: WorkloadSeen[];
  coverage: Coverage;
  /** Inputs read: files, stdin, rendered sources. */
  files: number;
  cache: { hits: number; misses: number };
  /** Sources found but not rendered (no `--render`). */
  unrendered: number;
}

/**
 * Evaluates the listed inputs — on worker threads when there are many files (parallel.ts) — and
 * then the kustomizations and charts found (rendered with `--render`, reported otherwise).
 */
export async function evaluateRun(
  listed: ListedInputs,
  setup: EngineSetup,
  options: RunOptions,
): Promise<RunOutcome> {
  const { settings, cwd, withWorkloads } = options;
  const context = evaluationContext(setup, settings, withWorkloads);
  const outcome: RunOutcome = {
    accumulator: new ReportAccumulator(),
    workloads: [],
    coverage: emptyCoverage(),
    files: 0,
    cache: { hits: 0, misses: 0 },
    unrendered: 0,
  };
  const add = (result: FileResult) => {
    outcome.files++;
    outcome.accumulator.add(result.report);
    outcome.workloads.push(...result.workloads);
    mergeCoverage(outcome.coverage, result.coverage);
  };
  const files = listed.inputs;
  const progress = await startProgress(listed.stdin ? undefined : files.length, options.quiet);
  const workers = listed.stdin ? 1 : workerCount(files.length);
  const results =
    workers > 1
      ? evaluateInWorkers(
          files,
          workers,
          (share) => evaluateFiles(share, context),
          { settings, cwd, withWorkloads, resolver: setup.resolver },
          outcome.cache,
        )
      : evaluateFiles(files, context);
  for await (const result of results) {
    add(result);
    progress.tick(result.file ?? '');
  }
  progress.stop();
  for (const source of listed.sources) {
    if (!options.render) {
      outcome.accumulator.note([notRendered(source, settings.namespace, cwd)]);
      outcome.unrendered++;
      continue;
    }
    const rendered = await render(source, settings.namespace, cwd);
    if ('error' in rendered) outcome.accumulator.note([rendered.error]);
    else {
      const file = renderCommand(source, settings.namespace, cwd);
      add(await evaluateLoaded(loadManifests(rendered.text, { ...settings.manifests, file }), context));
    }
  }
  // Workers finish in any order: keep JUnit's suites in file order.
  outcome.workloads.sort((a, b) =>
    (a.file ?? '') < (b.file ?? '') ? -1 : (a.file ?? '') > (b.file ?? '') ? 1 : 0,
  );
  const stats = setup.engine.cacheStats();
  outcome.cache.hits += stats.hits;
  outcome.cache.misses += stats.misses;
  return outcome;
}
