import { type LoadedManifests, type SourceLocation, WELL_KNOWN_POD_SPEC_PATHS } from '@pullguard/engine';
import { runsPods } from '@pullguard/engine/internals';

/**
 * What an input held that the run could not judge, beyond its report: objects of kinds known to
 * run pods that were not read as workloads, and the namespaces whose labels the evaluation did
 * not know (a policy's namespaceSelector then does not match, silently). Kept per file as plain
 * data (worker threads post it) and merged for the run's notes (run-notes.ts).
 */
export interface Coverage {
  /** `group/Kind` of a well-known kind not enabled → how many objects, and the first one's position. */
  unreadKinds: Record<string, { count: number; location: SourceLocation | undefined }>;
  /** Namespaces of workloads evaluated without labels. */
  unlabeled: string[];
}

export const emptyCoverage = (): Coverage => ({ unreadKinds: {}, unlabeled: [] });

/**
 * What `loaded` held that its evaluation could not judge. `labelled` is what the engine was told
 * (namespaces file, `--labels`); Namespace objects in the same input count too, as the engine
 * reads them for that input (evaluate/engine.ts `labelsFor`).
 */
export function observe(
  loaded: LoadedManifests,
  labelled: ReadonlySet<string>,
  defaultNamespace: string,
): Coverage {
  const coverage = emptyCoverage();
  const unlabeled = new Set<string>();
  for (const o of loaded.objects) {
    if (o.workload) {
      const namespace = o.namespace ?? defaultNamespace;
      if (!labelled.has(namespace) && !loaded.namespaces.some((n) => n.name === namespace)) {
        unlabeled.add(namespace);
      }
    } else if (runsPods(o.apiVersion, o.kind, WELL_KNOWN_POD_SPEC_PATHS)) {
      // Every well-known kind has an API group: `serving.knative.dev/v1` → `serving.knative.dev/Service`.
      const kind = `${o.apiVersion.slice(0, o.apiVersion.indexOf('/'))}/${o.kind}`;
      const seen = coverage.unreadKinds[kind];
      if (seen) seen.count++;
      else coverage.unreadKinds[kind] = { count: 1, location: o.location };
    }
  }
  coverage.unlabeled = [...unlabeled];
  return coverage;
}

/** Adds one input's coverage to the run's (inputs arrive in file order per thread; first positions win). */
export function mergeCoverage(into: Coverage, from: Coverage): void {
  for (const [kind, seen] of Object.entries(from.unreadKinds)) {
    const known = into.unreadKinds[kind];
    if (!known) into.unreadKinds[kind] = { ...seen };
    else {
      known.count += seen.count;
      if (seen.location && (!known.location || before(seen.location, known.location))) {
        known.location = seen.location;
      }
    }
  }
  const unlabeled = new Set(into.unlabeled);
  for (const namespace of from.unlabeled) unlabeled.add(namespace);
  into.unlabeled = [...unlabeled];
}

function before(a: SourceLocation, b: SourceLocation): boolean {
  const fa = a.file ?? '';
  const fb = b.file ?? '';
  return fa !== fb ? fa < fb : a.line - b.line < 0;
}
