/**
 * Which objects the exported policies match, and where each keeps its pod spec: exactly the kinds
 * the engine reads (its core table, plus the config's `manifests.podSpecPaths` and
 * `--well-known-kinds`), as the API server names them.
 */
import type { PodSpecPath } from '@pullguard/engine';
import { CORE_POD_SPEC_PATHS } from '@pullguard/engine/internals';
import { allOf, anyOf, str, strList } from './cel.js';

export interface WorkloadKind {
  /** API group (`` for the core group). */
  group: string;
  kind: string;
  path: PodSpecPath;
  /** The resource the API server matches (`deployments`), or `*` for every resource of the group. */
  resource: string;
}

/**
 * A ValidatingAdmissionPolicy matches resources, not kinds. Plural names of the kinds pullguard
 * reads: k8s.io/api v0.34 (core/v1, apps/v1, batch/v1), knative.dev/serving pkg/apis/serving/v1,
 * argoproj/argo-rollouts pkg/apis/rollouts, openkruise/kruise apis/apps.
 */
const RESOURCES: Readonly<Record<string, string>> = {
  Pod: 'pods',
  ReplicationController: 'replicationcontrollers',
  PodTemplate: 'podtemplates',
  'apps/Deployment': 'deployments',
  'apps/StatefulSet': 'statefulsets',
  'apps/DaemonSet': 'daemonsets',
  'apps/ReplicaSet': 'replicasets',
  'batch/Job': 'jobs',
  'batch/CronJob': 'cronjobs',
  'serving.knative.dev/Service': 'services',
  'serving.knative.dev/Configuration': 'configurations',
  'serving.knative.dev/Revision': 'revisions',
  'argoproj.io/Rollout': 'rollouts',
  'apps.kruise.io/CloneSet': 'clonesets',
  'apps.kruise.io/StatefulSet': 'statefulsets',
  'apps.kruise.io/DaemonSet': 'daemonsets',
};

/**
 * extensions/v1beta1 Deployments, DaemonSets and ReplicaSets were removed in Kubernetes 1.16: no
 * API server that runs ValidatingAdmissionPolicies (1.30+) serves them, so they are not matched.
 */
const RETIRED_GROUPS: ReadonlySet<string> = new Set(['extensions']);

function split(qualified: string): { group: string; kind: string } {
  const slash = qualified.lastIndexOf('/');
  return slash < 0
    ? { group: '', kind: qualified }
    : { group: qualified.slice(0, slash), kind: qualified.slice(slash + 1) };
}

/**
 * The workload kinds to match. Extra kinds need a group (a policy cannot match "this kind in any
 * group" without matching every resource of every group): a group-less one is returned in
 * `problems`, to be reported as not exported.
 */
export function workloadKinds(extra: Readonly<Record<string, PodSpecPath>> | undefined): {
  kinds: WorkloadKind[];
  problems: string[];
} {
  const kinds: WorkloadKind[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [qualified, path] of CORE_POD_SPEC_PATHS) {
    const { group, kind } = split(qualified);
    if (RETIRED_GROUPS.has(group)) continue;
    const resource = RESOURCES[qualified];
    if (resource === undefined) throw new Error(`no resource name for the core workload kind ${qualified}`);
    kinds.push({ group, kind, path, resource });
    seen.add(`${group}/${kind}`);
  }
  for (const [qualified, path] of Object.entries(extra ?? {})) {
    const { group, kind } = split(qualified);
    if (group === '') {
      problems.push(
        `manifests.podSpecPaths kind "${qualified}" has no API group: write group/Kind to have it matched`,
      );
      continue;
    }
    // The engine never lets a configuration re-route a core kind (workload-kinds.ts podSpecPathFor).
    if (seen.has(`${group}/${kind}`)) continue;
    seen.add(`${group}/${kind}`);
    kinds.push({ group, kind, path, resource: RESOURCES[qualified] ?? '*' });
  }
  return { kinds, problems };
}

export interface ResourceRule {
  apiGroups: string[];
  apiVersions: string[];
  operations: string[];
  resources: string[];
}

/**
 * `matchConstraints.resourceRules`: every version of each group (the engine reads any), CREATE and
 * UPDATE, and `pods/ephemeralcontainers` (an UPDATE of the subresource adds containers to a Pod).
 * A group with a kind of unknown resource name is matched whole (`*`): objects of its other
 * kinds have no pod spec path and yield no images.
 */
export function resourceRules(kinds: readonly WorkloadKind[]): ResourceRule[] {
  const byGroup = new Map<string, Set<string>>();
  for (const { group, resource } of kinds) {
    const set = byGroup.get(group) ?? new Set<string>();
    set.add(resource);
    byGroup.set(group, set);
  }
  return [...byGroup].map(([group, set]) => {
    const resources = set.has('*') ? ['*'] : [...set];
    if (group === '' && set.has('pods')) resources.push('pods/ephemeralcontainers');
    return { apiGroups: [group], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources };
  });
}

/** `object` as seen by every generated expression: dynamic, so one policy reads several kinds' shapes. */
export const OBJECT = 'variables.object';

/** The CEL that finds the pod spec of whichever kind `object` is (`{}` when it has none). */
export function podSpecExpression(kinds: readonly WorkloadKind[]): string {
  const byPath = new Map<string, { path: PodSpecPath; groups: Map<string, string[]> }>();
  for (const { group, kind, path } of kinds) {
    const key = path.join('.');
    const entry = byPath.get(key) ?? { path, groups: new Map<string, string[]>() };
    entry.groups.set(group, [...(entry.groups.get(group) ?? []), kind]);
    byPath.set(key, entry);
  }
  let expression = '{}';
  for (const { path, groups } of [...byPath.values()].reverse()) {
    const condition = anyOf(
      [...groups].map(([group, kindsOf]) =>
        allOf([
          group === ''
            ? `!${OBJECT}.apiVersion.contains('/')`
            : `${OBJECT}.apiVersion.startsWith(${str(`${group}/`)})`,
          kindsOf.length === 1
            ? `${OBJECT}.kind == ${str(kindsOf[0] as string)}`
            : `${OBJECT}.kind in ${strList(kindsOf)}`,
        ]),
      ),
    );
    expression = `${condition} ? ${navigate(path)} : ${expression}`;
  }
  return expression;
}

/** `object.spec.template.spec`, or `{}` where a field on the way is missing (a Rollout with `workloadRef`). */
function navigate(path: PodSpecPath): string {
  const steps: string[] = [];
  let at = OBJECT;
  for (const field of path) {
    steps.push(isIdentifier(field) ? `has(${at}.${field})` : `${str(field)} in ${at}`);
    at = isIdentifier(field) ? `${at}.${field}` : `${at}[${str(field)}]`;
  }
  return `(${steps.join(' && ')} ? ${at} : {})`;
}

/** CEL reserved words (cel-spec langdef.md): not usable as field names in a selection. */
const RESERVED = new Set(
  'as break const continue else false for function if import in let loop package namespace null return true var void while'.split(
    ' ',
  ),
);

function isIdentifier(field: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(field) && !RESERVED.has(field);
}
