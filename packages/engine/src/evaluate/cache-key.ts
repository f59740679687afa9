/**
 * Result-cache keys: plan identity, then exactly the facts the plan's cached rules read. Image, pull
 * policy, container type and admission are always part of a key (they are cheap and decide most
 * rules); container name, pull secrets, workload and namespace only when a rule reads them. The
 * image is an interned id (`ResultCache.intern`); every other variable part is length-prefixed, so
 * no image string or field value can forge another key.
 */
import type { ExtractedImage, WorkloadRef } from '../types.js';
import { KEY_CONTAINER, KEY_NAMESPACE, KEY_POD, KEY_WORKLOAD, type PreparedPlan } from './prepared-plan.js';

type Labels = Readonly<Record<string, string>>;

export interface KeyInterner {
  intern(raw: string): string;
}

/** `namespaceKeyPart` is the namespace's part (`namespaceKey`), computed once per namespace. */
export function cacheKey(
  interner: KeyInterner,
  plan: PreparedPlan,
  image: ExtractedImage,
  namespaceKeyPart: string,
  admitted: boolean,
): string {
  const declared = image.pullPolicy.declared;
  let key = `${plan.id}${admitted ? 'A' : 'S'}${image.container.type}|${interner.intern(image.raw)}|${declared === undefined ? 'u' : field(declared)}`;
  const parts = plan.keyParts;
  if (parts === 0) return key;
  if (parts & KEY_CONTAINER) key += field(image.container.name);
  if (parts & KEY_POD) for (const secret of image.imagePullSecrets) key += field(secret);
  if (parts & KEY_WORKLOAD) key += `|${workloadKey(image.workload)}`;
  if (parts & KEY_NAMESPACE) key += `|${namespaceKeyPart}`;
  return key;
}

/** The namespace part of a plan's keys: empty unless the plan's rules read the namespace. */
export function namespaceKey(plan: PreparedPlan, name: string, labels: Labels | null): string {
  return plan.keyParts & KEY_NAMESPACE ? `${field(name)}${labelsKey(labels)}` : '';
}

function field(value: string): string {
  return `${value.length}:${value}`;
}

const workloadKeys = new WeakMap<WorkloadRef, string>();

function workloadKey(workload: WorkloadRef): string {
  let key = workloadKeys.get(workload);
  if (key === undefined) {
    key = `${field(workload.apiVersion)}${field(workload.kind)}${field(workload.name)}${labelsKey(workload.labels)}${labelsKey(workload.annotations)}`;
    workloadKeys.set(workload, key);
  }
  return key;
}

function labelsKey(labels: Labels | null): string {
  if (labels === null) return 'n';
  let key = 'm';
  for (const name of Object.keys(labels).sort()) key += field(name) + field(labels[name]!);
  return `${key}.`;
}
