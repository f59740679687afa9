/**
 * Which objects run pods, and where their pod spec is. A kind counts only in its real API group:
 * a CRD kind named `Deployment` in group `example.com` is not a Deployment.
 */

export type PodSpecPath = readonly string[];

const POD_TEMPLATE_SPEC: PodSpecPath = ['spec', 'template', 'spec'];

/**
 * Core workload kinds by `group/Kind` (core group: `Kind`). Any version of the group counts:
 * besides apps/v1, batch/v1 and v1, real repositories still hold extensions/v1beta1,
 * apps/v1beta1, apps/v1beta2 and batch/v1beta1 manifests (removed from the API server in
 * 1.16–1.25); their pod spec sits at the same path, and checking them beats silently skipping.
 * Paths: k8s.io/api v0.34 core/v1, apps/v1, batch/v1 types.go.
 */
export const CORE_POD_SPEC_PATHS: ReadonlyMap<string, PodSpecPath> = new Map([
  ['Pod', ['spec']],
  ['ReplicationController', POD_TEMPLATE_SPEC],
  ['PodTemplate', ['template', 'spec']],
  ['apps/Deployment', POD_TEMPLATE_SPEC],
  ['apps/StatefulSet', POD_TEMPLATE_SPEC],
  ['apps/DaemonSet', POD_TEMPLATE_SPEC],
  ['apps/ReplicaSet', POD_TEMPLATE_SPEC],
  ['extensions/Deployment', POD_TEMPLATE_SPEC],
  ['extensions/DaemonSet', POD_TEMPLATE_SPEC],
  ['extensions/ReplicaSet', POD_TEMPLATE_SPEC],
  ['batch/Job', POD_TEMPLATE_SPEC],
  ['batch/CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
]);

/**
 * CORE_POD_SPEC_PATHS by kind: `[group, path]` for each group the kind is core in. Looked up by the
 * kind alone, so that telling a core workload from everything else costs one Map lookup and no
 * string building (most objects in a repository are not workloads).
 */
const CORE_BY_KIND: ReadonlyMap<string, readonly (readonly [group: string, path: PodSpecPath])[]> = (() => {
  const byKind = new Map<string, [string, PodSpecPath][]>();
  for (const [qualified, path] of CORE_POD_SPEC_PATHS) {
    const slash = qualified.indexOf('/');
    const kind = qualified.slice(slash + 1);
    const groups = byKind.get(kind) ?? [];
    groups.push([slash < 0 ? '' : qualified.slice(0, slash), path]);
    byKind.set(kind, groups);
  }
  return byKind;
})();

/**
 * Well-known non-core kinds that embed a pod spec, for `ManifestLoadOptions.podSpecPaths`
 * (pullguard does not guess at CRDs unless asked). Paths from each project's API types:
 * knative.dev/serving pkg/apis/serving/v1 (RevisionSpec inlines a PodSpec), argoproj/argo-rollouts
 * pkg/apis/rollouts/v1alpha1 (a Rollout with `workloadRef` has no template and yields no images),
 * openkruise/kruise apis/apps (v1alpha1 CloneSet, v1beta1 StatefulSet, v1alpha1 DaemonSet).
 */
export const WELL_KNOWN_POD_SPEC_PATHS: Readonly<Record<string, PodSpecPath>> = Object.freeze({
  'serving.knative.dev/Service': POD_TEMPLATE_SPEC,
  'serving.knative.dev/Configuration': POD_TEMPLATE_SPEC,
  'serving.knative.dev/Revision': ['spec'],
  'argoproj.io/Rollout': POD_TEMPLATE_SPEC,
  'apps.kruise.io/CloneSet': POD_TEMPLATE_SPEC,
  'apps.kruise.io/StatefulSet': POD_TEMPLATE_SPEC,
  'apps.kruise.io/DaemonSet': POD_TEMPLATE_SPEC,
});

/** `apps/v1` → `apps`; `v1` → `` (the core group). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * The pod spec path of a kind, or undefined when it runs no pods. Lookup order: the core table,
 * the caller's `group/Kind`, then the caller's group-less `Kind`: callers add kinds, they never
 * re-route a core one (that would let a configuration hide a Deployment's containers).
 */
export function podSpecPathFor(
  apiVersion: string,
  kind: string,
  extra: Readonly<Record<string, PodSpecPath>> | undefined,
): PodSpecPath | undefined {
  const core = CORE_BY_KIND.get(kind);
  if (core !== undefined) {
    for (const [group, path] of core) if (inGroup(apiVersion, group)) return path;
  }
  if (extra === undefined) return undefined;
  const group = apiGroup(apiVersion);
  const qualified = group === '' ? kind : `${group}/${kind}`;
  if (group !== '' && Object.hasOwn(extra, qualified)) return extra[qualified];
  if (Object.hasOwn(extra, kind)) return extra[kind];
  return undefined;
}

/** `apiGroup(apiVersion) === group`, without slicing. */
function inGroup(apiVersion: string, group: string): boolean {
  if (group === '') return !apiVersion.includes('/');
  return apiVersion.charCodeAt(group.length) === 0x2f /* / */ && apiVersion.startsWith(group);
}

/** Whether objects of this kind carry a pod spec (`podSpecPathFor`), e.g. to decide what to evaluate. */
export function runsPods(
  apiVersion: string,
  kind: string,
  extra?: Readonly<Record<string, PodSpecPath>> | undefined,
): boolean {
  return podSpecPathFor(apiVersion, kind, extra) !== undefined;
}

/** `Namespace` in the core group: its labels feed namespaceSelector. */
export function isNamespaceKind(apiVersion: string, kind: string): boolean {
  return kind === 'Namespace' && apiGroup(apiVersion) === '';
}

/**
 * `List` (v1) and typed lists (`PodList`, `RoleList`) carry objects in `items`. Typed list items
 * as the API server returns them omit `kind`/`apiVersion`; those are inferred from the list.
 */
export function listItemKind(kind: string): { itemKind: string | undefined } | undefined {
  if (kind === 'List') return { itemKind: undefined };
  if (kind.length > 4 && kind.endsWith('List')) return { itemKind: kind.slice(0, -4) };
  return undefined;
}
