import {
  type Engine,
  type LoadedManifests,
  loadManifestInputs,
  type ManifestInput,
  type Report,
} from '@pullguard/engine';
import type { ManifestOptions } from '../config/settings.js';
import type { WorkloadSeen } from '../format/check-result.js';

/** One input file's outcome: its report and (for JUnit) the workloads it holds — never its documents. */
export interface FileResult {
  file: string | undefined;
  report: Report;
  workloads: WorkloadSeen[];
}

export interface EvaluationContext {
  engine: Engine;
  /** Extra workload kinds and limits for the loader. */
  manifests: ManifestOptions;
  /** For objects without a namespace. */
  namespace: string;
  /** Set when the output needs the workloads (JUnit): the rule ids governing a namespace. */
  rulesFor: ((namespace: string) => readonly string[]) | undefined;
}

function workloadsOf(loaded: LoadedManifests, ctx: EvaluationContext): WorkloadSeen[] {
  const rulesFor = ctx.rulesFor;
  if (!rulesFor) return [];
  return loaded.objects
    .filter((o) => o.workload)
    .map((o) => {
      const namespace = o.namespace ?? ctx.namespace;
      return {
        file: loaded.file,
        kind: o.kind,
        name: o.name,
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
  for await (const loaded of loadManifestInputs(inputs, ctx.manifests)) {
    const report = await ctx.engine.evaluate(loaded, { namespace: ctx.namespace });
    yield { file: loaded.file, report, workloads: workloadsOf(loaded, ctx) };
  }
}
