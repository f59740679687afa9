/**
 * One admission request, judged twice: by the engine as `pullguard check` judges admitted objects
 * (`evaluate` with `admitted: true`, the namespace and its labels), and by the exported objects in
 * the simulated API server. Both outcomes are sets of `policy|rule|action` for findings that are
 * not exempt, plus the verdict.
 */
import { effectivePullPolicy, type Engine } from '@pullguard/engine';
import { ANNOTATIONS } from '../objects.js';
import { admit, type Namespace } from './api-server.js';

type Json = Record<string, unknown>;

/** The API server's resources for the kinds pullguard reads (what discovery would say). */
const RESOURCES: Readonly<Record<string, { group: string; resource: string }>> = {
  Pod: { group: '', resource: 'pods' },
  ReplicationController: { group: '', resource: 'replicationcontrollers' },
  PodTemplate: { group: '', resource: 'podtemplates' },
  Deployment: { group: 'apps', resource: 'deployments' },
  StatefulSet: { group: 'apps', resource: 'statefulsets' },
  DaemonSet: { group: 'apps', resource: 'daemonsets' },
  ReplicaSet: { group: 'apps', resource: 'replicasets' },
  Job: { group: 'batch', resource: 'jobs' },
  CronJob: { group: 'batch', resource: 'cronjobs' },
};

/** Served versions on Kubernetes 1.30+: older manifests are converted to them before admission. */
const SERVED: Readonly<Record<string, string>> = { '': 'v1', apps: 'apps/v1', batch: 'batch/v1' };

export const ADMITTED_KINDS = Object.keys(RESOURCES);

/**
 * What the API server stores and shows admission: the served version, no JSON nulls (typed
 * decoding drops them), the namespace of the request, and `imagePullPolicy` (an image volume's
 * `pullPolicy`) defaulted where unset (pkg/apis/core/v1 defaults.go, as pull-policy.ts knows it).
 */
export function admitted(object: Json, namespace: string): Json {
  const copy = dropNulls(structuredClone(object)) as Json;
  const resource = RESOURCES[copy['kind'] as string];
  if (resource) copy['apiVersion'] = SERVED[resource.group];
  copy['metadata'] = { ...((copy['metadata'] as Json) ?? {}), namespace };
  visitPodSpecs(copy, (spec) => {
    for (const field of ['containers', 'initContainers', 'ephemeralContainers']) {
      for (const c of (spec[field] ?? []) as Json[]) {
        if (typeof c['image'] === 'string' && (c['imagePullPolicy'] === undefined || c['imagePullPolicy'] === '')) {
          c['imagePullPolicy'] = effectivePullPolicy({ image: c['image'] }).policy;
        }
      }
    }
    for (const v of (spec['volumes'] ?? []) as Json[]) {
      const image = v['image'] as Json | undefined;
      if (image && typeof image['reference'] === 'string' && (image['pullPolicy'] === undefined || image['pullPolicy'] === '')) {
        image['pullPolicy'] = effectivePullPolicy({ image: image['reference'] }).policy;
      }
    }
  });
  return copy;
}

function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v);
  return out;
}

const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

function visitPodSpecs(object: Json, visit: (spec: Json) => void): void {
  const path = POD_SPEC_PATHS[object['kind'] as string] ?? ['spec', 'template', 'spec'];
  let at: unknown = object;
  for (const field of path) at = (at as Json | undefined)?.[field];
  if (typeof at === 'object' && at !== null && !Array.isArray(at)) visit(at as Json);
}

export interface Outcome {
  /** `policy|rule|action` of every non-exempt finding (engine) or failed validation (VAP). */
  findings: string[];
  /** A deny finding / a failed validation with Deny. */
  denied: boolean;
  /** Messages of the failed validations (VAP only). */
  messages: string[];
}

/** The engine's judgement, as `pullguard check` gives it for admitted objects. */
export async function engineOutcome(engine: Engine, object: Json, namespace: Namespace): Promise<Outcome> {
  const report = await engine.evaluateObject(object, {
    namespace: namespace.name,
    admitted: true,
    namespaceLabels: { [namespace.name]: namespace.labels },
  });
  if (report.errors.length > 0) throw new Error(`the engine cannot read the object: ${report.errors[0]?.message}`);
  const live = report.findings.filter((f) => f.exemption?.status !== 'active');
  return {
    findings: [...new Set(live.map((f) => `${f.policy}|${f.rule}|${f.action}`))].sort(),
    denied: report.verdict === 'fail',
    messages: [],
  };
}

/** The exported objects' judgement in the simulated API server. */
export function vapOutcome(
  objects: readonly Json[],
  object: Json,
  namespace: Namespace,
  subResource?: 'ephemeralcontainers',
): Outcome {
  const resource = RESOURCES[object['kind'] as string];
  if (!resource) throw new Error(`no resource for kind ${String(object['kind'])}`);
  const byName = new Map(objects.filter((o) => o['kind'] === 'ValidatingAdmissionPolicy').map((o) => [(o['metadata'] as Json)['name'], o]));
  const { failures } = admit(objects, {
    object,
    namespace,
    resource,
    operation: subResource ? 'UPDATE' : 'CREATE',
    ...(subResource ? { subResource } : {}),
  });
  const errors = failures.filter((f) => f.error !== undefined);
  if (errors.length > 0) throw new Error(`CEL failed: ${errors.map((e) => `${e.policy}: ${e.error}`).join('; ')}`);
  const findings = failures.map((f) => {
    const annotations = ((byName.get(f.policy) as Json)['metadata'] as Json)['annotations'] as Record<string, string>;
    const rule = f.message.slice(0, f.message.indexOf(': '));
    return `${annotations[ANNOTATIONS.policy]}|${rule}|${annotations[ANNOTATIONS.action]}`;
  });
  return {
    findings: [...new Set(findings)].sort(),
    denied: failures.some((f) => f.actions.includes('Deny')),
    messages: failures.map((f) => f.message),
  };
}

