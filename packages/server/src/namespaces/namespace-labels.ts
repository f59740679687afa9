import type { Engine } from '@pullguard/engine';
import type { KubernetesNamespaces, WatchRestartReason } from './kubernetes-namespaces.js';
import { type LabelSource, type Labels, NamespaceLabelStore } from './label-store.js';

export type UnknownLabelsMode = 'deny' | 'allow';

/** What /readyz and the metrics say about namespace labels. */
export interface NamespaceLabelsStatus {
  /** Where labels come from (empty: nowhere — every label selector is then unjudged). */
  sources: LabelSource[];
  /** The Kubernetes API's first list has completed (true without that source). */
  synced: boolean;
  /** Namespaces whose labels are known. */
  namespaces: number;
  /** The Kubernetes API watch's restarts, by reason (zeros without that source). */
  watchRestarts: Readonly<Record<WatchRestartReason, number>>;
}

/**
 * The labels admission believes, and what it does while a namespace's are unknown. Labels come
 * only from sources a caller of the webhook cannot write (see LabelSource).
 */
export interface NamespaceLabels {
  readonly store: NamespaceLabelStore;
  /** Admission while a namespace's labels are unknown and a policy that could govern it selects by label. */
  readonly unknown: UnknownLabelsMode;
  /** Namespace admission reviews from authenticated clients update the labels. */
  readonly learnFromReviews: boolean;
  /** The namespace's labels, reading them from the Kubernetes API on a miss (when it is a source). */
  resolve(namespace: string): Labels | undefined | Promise<Labels | undefined>;
  status(): NamespaceLabelsStatus;
}

export interface NamespaceLabelsOptions {
  store?: NamespaceLabelStore | undefined;
  sources?: readonly LabelSource[] | undefined;
  kubernetes?: KubernetesNamespaces | undefined;
  /** How long a lookup on a miss may take (default 1 s). */
  lookupTimeoutMs?: number | undefined;
  unknown?: UnknownLabelsMode | undefined;
  learnFromReviews?: boolean | undefined;
}

const NO_RESTARTS = Object.freeze({ closed: 0, gone: 0, error: 0 });

export function namespaceLabels(options: NamespaceLabelsOptions = {}): NamespaceLabels {
  const store = options.store ?? new NamespaceLabelStore();
  const { kubernetes } = options;
  const lookupTimeoutMs = options.lookupTimeoutMs ?? 1000;
  const sources = [...(options.sources ?? [])];
  return {
    store,
    unknown: options.unknown ?? 'deny',
    learnFromReviews: options.learnFromReviews ?? false,
    resolve(namespace) {
      const known = store.get(namespace);
      if (known !== undefined || kubernetes === undefined) return known;
      return kubernetes.lookup(namespace, lookupTimeoutMs);
    },
    status: () => ({
      sources,
      synced: kubernetes?.synced ?? true,
      namespaces: store.size,
      watchRestarts: kubernetes?.restarts ?? NO_RESTARTS,
    }),
  };
}

const UNJUDGED_MEMO_MAX = 1024;

/** unjudgedPolicies' memo: by policy set (fingerprint), then namespace. */
export type UnjudgedMemo = Map<string, Map<string, readonly string[]>>;

/**
 * The policies that could govern `namespace` but select namespaces by label, which cannot be
 * judged while its labels are unknown: their globs match, no exclude matches, and their selector
 * was not evaluated. Memoized per policy set (this runs on every admission of an unknown namespace;
 * docs/performance-invariants.md#bounded-memos).
 */
export function unjudgedPolicies(engine: Engine, namespace: string, memo: UnjudgedMemo): readonly string[] {
  let bySet = memo.get(engine.fingerprint);
  if (bySet === undefined) {
    memo.clear(); // a new policy set: the old answers are stale
    bySet = new Map();
    memo.set(engine.fingerprint, bySet);
  }
  const known = bySet.get(namespace);
  if (known !== undefined) return known;
  const names = engine
    .explain(namespace)
    .policies.filter((p) => p.selector === 'labels-unknown' && p.excludedBy === undefined)
    .map((p) => p.name);
  if (bySet.size >= UNJUDGED_MEMO_MAX) bySet.clear();
  bySet.set(namespace, names);
  return names;
}
