/**
 * Result-cache keys: plan identity, then exactly the facts the plan's cached rules read. Image, pull
 * policy, container type and admission are always part of a key (they are cheap and decide most
 * rules); container name, pull secrets, workload and namespace only when a rule reads them. The
 * image is an interned number (`ResultCache.intern`); every other variable part is length-prefixed,
 * so no image string or field value can forge another key.
 *
 * Most plans read only the always-present facts, and most declared pull policies are one of the
 * three values or unset: their key is a number packing image id, plan serial and the small facts.
 * No string is built, flattened and hashed per image (that was a tenth of a warm evaluation), and
 * a number never equals a string key, the form every other case takes.
 *
 * Invariants, and the tests that hold them: docs/performance-invariants.md#numeric-cache-keys.
 */
import type { RegistryFacts } from '../rule-contract.js';
import type { ContainerType, ExtractedImage, WorkloadRef } from '../types.js';
import {
  KEY_CONTAINER,
  KEY_NAMESPACE,
  KEY_POD,
  KEY_REGISTRY,
  KEY_WORKLOAD,
  type PreparedPlan,
} from './prepared-plan.js';

type Labels = Readonly<Record<string, string>>;

export interface KeyInterner {
  intern(raw: string): number;
}

const TYPE_CODES: Readonly<Record<ContainerType, number>> = {
  container: 0,
  init: 1,
  sidecar: 2,
  ephemeral: 3,
  volume: 4,
};

// Numeric keys: (image id + offset) × 2^21 + plan serial × 2^6 + (declared × 5 + type) × 2 +
// admitted, all below 2^53 (exact in a double): 32 bits of image ids, 15 of plan serials, 6 of
// small facts. The offset puts every key beyond the small integers from the first one: V8 would
// otherwise compile the multiplication for small integers and deoptimize it when the 1,024th
// image is interned (seen in the bench's cold pass).
const SMALL_SPAN = 64;
const PLAN_SPAN = 2 ** 15;
const IMAGE_UNIT = PLAN_SPAN * SMALL_SPAN;
const IMAGE_OFFSET = 2 ** 31 / IMAGE_UNIT;
const IMAGE_SPAN = 2 ** 32 - IMAGE_OFFSET;

function declaredCode(declared: string | undefined): number {
  switch (declared) {
    case undefined:
      return 0;
    case 'Always':
      return 1;
    case 'IfNotPresent':
      return 2;
    case 'Never':
      return 3;
    default:
      return -1;
  }
}

/**
 * `namespaceKeyPart` is the namespace's part (`namespaceKey`), computed once per namespace. When the
 * plan's rules read the registry, the key carries every registry fact — the digests above all — so
 * an outcome is only ever reused for the digests it was judged on: a tag that moved after a check
 * has another key (GHSA-2r43-6962-xcw5 is the bug this prevents).
 */
export function cacheKey(
  interner: KeyInterner,
  plan: PreparedPlan,
  image: ExtractedImage,
  namespaceKeyPart: string,
  admitted: boolean,
  registry: RegistryFacts,
): string | number {
  const declared = image.pullPolicy.declared;
  const imageId = interner.intern(image.raw);
  const parts = plan.keyParts;
  if (parts === 0 && plan.serial < PLAN_SPAN && imageId < IMAGE_SPAN) {
    const code = declaredCode(declared);
    if (code >= 0) {
      const small = (code * 5 + TYPE_CODES[image.container.type]) * 2 + (admitted ? 1 : 0);
      return (imageId + IMAGE_OFFSET) * IMAGE_UNIT + (plan.serial * SMALL_SPAN + small);
    }
  }
  let key = `${plan.serial}:${admitted ? 'A' : 'S'}${image.container.type}|${imageId}|${declared === undefined ? 'u' : field(declared)}`;
  if (parts === 0) return key;
  if (parts & KEY_CONTAINER) key += field(image.container.name);
  if (parts & KEY_POD) for (const secret of image.imagePullSecrets) key += field(secret);
  if (parts & KEY_WORKLOAD) key += `|${workloadKey(image.workload)}`;
  if (parts & KEY_NAMESPACE) key += `|${namespaceKeyPart}`;
  if (parts & KEY_REGISTRY) key += `|${registryKey(registry)}`;
  return key;
}

function registryKey(r: RegistryFacts): string {
  return `${field(r.status)}${optional(r.digest)}${flag(r.index)}${r.stale ? 's' : 'f'}${optional(r.tagStatus)}${optional(r.tagDigest)}${optional(r.host)}${optional(r.failureKind)}${optional(r.message)}${optional(r.hint)}`;
}

function optional(value: string | null): string {
  return value === null ? 'n' : field(value);
}

function flag(value: boolean | null): string {
  return value === null ? 'n' : value ? 't' : 'f';
}

/** The namespace part of a plan's keys: empty unless the plan's rules read the namespace. */
export function namespaceKey(plan: PreparedPlan, name: string, labels: Labels | null): string {
  return plan.keyParts & KEY_NAMESPACE ? `${field(name)}${labelsKey(labels)}` : '';
}

function field(value: string): string {
  return `${value.length}:${value}`;
}

const workloadKeys = new WeakMap<WorkloadRef, string>();

/**
 * A workload's part of its images' keys, worked out once per workload. The workload is frozen
 * then (labels and annotations too): a caller that keeps its loaded manifests could otherwise
 * change them and be answered from the key of what they were.
 */
function workloadKey(workload: WorkloadRef): string {
  let key = workloadKeys.get(workload);
  if (key === undefined) {
    Object.freeze(workload.labels);
    Object.freeze(workload.annotations);
    Object.freeze(workload);
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
