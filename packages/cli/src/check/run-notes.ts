import type { Diagnostic, Engine, PolicyDocument, ReportSummary } from '@pullguard/engine';
import type { Coverage } from './coverage.js';

/**
 * What `check` says about what it could not judge, so that no run passes silently:
 * - NO_WORKLOADS (error; a warning with `--allow-empty`): nothing was checked;
 * - KIND_NOT_READ (warning): one per kind known to run pods that was not enabled;
 * - NAMESPACE_LABELS_UNKNOWN (warning; an error with `--strict-labels`): one per policy whose
 *   namespaceSelector could not be judged for some namespaces, naming them.
 */
export interface RunNotesInput {
  paths: readonly string[];
  files: number;
  summary: Pick<ReportSummary, 'objects' | 'workloads'>;
  coverage: Coverage;
  /** Errors loading the inputs (each reported already). */
  loadErrors: number;
  /** Kustomizations and charts left unrendered (each has its own warning already). */
  unrendered: number;
  engine: Pick<Engine, 'explain'>;
  policies: readonly PolicyDocument[];
  allowEmpty: boolean;
  strictLabels: boolean;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
/** Long lists of namespaces are cut: the first few say enough. */
const NAMESPACES_SHOWN = 10;

export function runNotes(input: RunNotesInput): Diagnostic[] {
  return [
    ...(input.summary.workloads === 0 ? [noWorkloads(input)] : []),
    ...unreadKinds(input.coverage),
    ...unjudgedSelectors(input),
  ];
}

function noWorkloads(input: RunNotesInput): Diagnostic {
  const why = [
    input.files === 0
      ? 'no .yaml, .yml or .json files'
      : input.summary.objects > 0
        ? `${plural(input.summary.objects, 'object')} read, none of a kind that runs pods`
        : input.loadErrors > 0
          ? `no Kubernetes objects could be read (${plural(input.loadErrors, 'load error')})`
          : `${plural(input.files, 'file')} read, no Kubernetes objects in them`,
    ...(input.unrendered > 0
      ? ['kustomizations and charts are checked only when rendered (SOURCE_NOT_RENDERED)']
      : []),
    ...(Object.keys(input.coverage.unreadKinds).length > 0
      ? ['some kinds are read only with --well-known-kinds (KIND_NOT_READ)']
      : []),
  ];
  return {
    code: 'NO_WORKLOADS',
    message: `no Kubernetes workloads found in ${input.paths.join(', ')}: ${why.join('; ')}${input.allowEmpty ? '' : ' (--allow-empty accepts that)'}`,
    severity: input.allowEmpty ? 'warning' : 'error',
  };
}

function unreadKinds(coverage: Coverage): Diagnostic[] {
  return Object.entries(coverage.unreadKinds)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, { count, location }]) => ({
      code: 'KIND_NOT_READ',
      message: `${plural(count, 'object')} of kind ${kind} ${count === 1 ? 'runs' : 'run'} pods but ${count === 1 ? 'was' : 'were'} not checked: pass --well-known-kinds (or set manifests.wellKnownKinds: true in the config file)`,
      location,
      severity: 'warning',
    }));
}

/** Policies whose namespaceSelector was not judged for the namespaces evaluated without labels. */
function unjudgedSelectors(input: RunNotesInput): Diagnostic[] {
  const unjudged = new Map<string, string[]>();
  for (const namespace of [...input.coverage.unlabeled].sort()) {
    for (const p of input.engine.explain(namespace).policies) {
      if (p.selector !== 'labels-unknown') continue;
      const namespaces = unjudged.get(p.name) ?? [];
      namespaces.push(namespace);
      unjudged.set(p.name, namespaces);
    }
  }
  return [...unjudged].map(([policy, namespaces]) => {
    const document = input.policies.find((p) => p.name === policy);
    const shown = namespaces.slice(0, NAMESPACES_SHOWN).join(', ');
    const more =
      namespaces.length > NAMESPACES_SHOWN ? ` and ${namespaces.length - NAMESPACES_SHOWN} more` : '';
    return {
      code: 'NAMESPACE_LABELS_UNKNOWN',
      message: `policy "${policy}" selects namespaces by label, but the labels of ${namespaces.length === 1 ? 'namespace' : 'namespaces'} ${shown}${more} are unknown: it was not applied there. Give them with --namespaces-file (kubectl get namespaces -o yaml) or --labels${input.strictLabels ? '' : '; --strict-labels makes this an error'}`,
      location: document?.locate('spec.namespaceSelector') ?? document?.location,
      field: 'spec.namespaceSelector',
      severity: input.strictLabels ? 'error' : 'warning',
    };
  });
}
