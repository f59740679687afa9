import type { Engine, LoadedManifests, Report } from '@pullguard/engine';
import { loadManifestInputs, type ManifestInput } from '@pullguard/engine/internals';
import type { ManifestOptions, Settings } from '../config/settings.js';
import { type EngineSetup, type GoverningRule, governingRules } from '../engine-setup.js';
import type { WorkloadSeen } from '../format/check-result.js';
import { type Coverage, observe } from './coverage.js';

/** One input file's outcome: its report and (for JUnit, policy reports) the workloads it holds — never its documents. */
export interface FileResult {
  file: string | undefined;
  report: Report;
  workloads: WorkloadSeen[];
  /** What it held that could not be judged (run-notes.ts). */
  coverage: Coverage;
}

export interface EvaluationContext {
  engine: Engine;
  /** Extra workload kinds and limits for the loader. */
  manifests: ManifestOptions;
  /** For objects without a namespace. */
  namespace: string;
  /** Set when the output needs the workloads (JUnit, policy reports): the rules governing a namespace. */
  rulesFor: ((namespace: string) => readonly GoverningRule[]) | undefined;
  /** Namespaces whose labels the engine was given. */
  labelled: ReadonlySet<string>;
}

/** The context every thread evaluates with, from its own engine and the run's settings. */
export function evaluationContext(
  setup: EngineSetup,
  settings: Pick<Settings, 'manifests' | 'namespace'>,
  withWorkloads: boolean,
): EvaluationContext {
  return {
    engine: setup.engine,
    manifests: settings.manifests,
    namespace: settings.namespace,
    rulesFor: withWorkloads ? governingRules(setup.engine, setup.namespaceLabels) : undefined,
    labelled: new Set(Object.keys(setup.namespaceLabels)),
  };
}

function workloadsOf(loaded: LoadedManifests, ctx: EvaluationContext): WorkloadSeen[] {
  const rulesFor = ctx.rulesFor;
  if (!rulesFor) return [];
  return loaded.objects
    .filter((o) => o.workload)
    .map((o) => {
      const namespace = o.namespace ?? ctx.namespace;
      const uid = (o.object['metadata'] as Record<string, unknown> | undefined)?.['uid'];
      return {
        file: loaded.file,
        apiVersion: o.apiVersion,
        kind: o.kind,
        name: o.name,
        uid: typeof uid === 'string' ? uid : undefined,
        namespace,
        location: o.location,
        rules: rulesFor(namespace),
      };
    });
}

/**
 * Streams the inputs (listed by `listManifestInputs`) through the engine one at a time: memory
 * holds one file's documents at most.
 */
export async function* evaluateFiles(
  inputs: Iterable<ManifestInput> | AsyncIterable<ManifestInput>,
  ctx: EvaluationContext,
): AsyncGenerator<FileResult> {
  for await (const loaded of loadManifestInputs(inputs, ctx.manifests)) yield evaluateLoaded(loaded, ctx);
}

/** One loaded input (a file, stdin, or what `--render` rendered) through the engine. */
export async function evaluateLoaded(loaded: LoadedManifests, ctx: EvaluationContext): Promise<FileResult> {
  const report = await ctx.engine.evaluateLoaded(loaded, { namespace: ctx.namespace });
  return {
    file: loaded.file,
    report,
    workloads: workloadsOf(loaded, ctx),
    coverage: observe(loaded, ctx.labelled, ctx.namespace),
  };
}
