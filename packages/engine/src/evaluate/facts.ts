/**
 * Facts: what every rule sees about one image (built-in, plugin and JSON Logic rules alike).
 * Built only when a rule has to run (a result-cache miss), from fields the extractor already computed.
 *
 * Every rule of a plan gets the same Facts, so a rule that could write to them could decide what
 * the rules after it see (a plugin setting `image.digest` would pass require-digest). Facts given
 * to rules other than the built-ins are therefore deeply frozen: a write throws in strict code (the
 * writer gets a RULE_ERROR finding) and is ignored elsewhere.
 */
import { namespaceLabels } from '../policy/label-selector.js';
import { REGISTRY_NOT_CONSULTED } from '../registry/registry-facts.js';
import type { Facts, RegistryFacts } from '../rule-contract.js';
import type { ExtractedImage } from '../types.js';

export interface FactsNamespace {
  name: string;
  /** null when the namespace's labels are unknown. */
  labels: Readonly<Record<string, string>> | null;
}

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The namespace as facts show it: when its labels are known, exactly the labels selectors match
 * against (namespaceLabels adds `kubernetes.io/metadata.name`), frozen; null when unknown.
 */
export function factsNamespace(
  name: string,
  labels: Readonly<Record<string, string>> | null,
): FactsNamespace {
  return { name, labels: labels === null ? null : Object.freeze({ ...namespaceLabels(name, labels) }) };
}

/**
 * Facts of one image, deeply frozen (the arrays and records it shares with the image are frozen too).
 * `registry` is what the evaluator looked up (frozen already); by default no lookup was made.
 */
export function buildFacts(
  image: ExtractedImage,
  namespace: FactsNamespace,
  admitted: boolean,
  registry: RegistryFacts = REGISTRY_NOT_CONSULTED,
): Facts {
  const ref = image.reference;
  const workload = image.workload;
  return Object.freeze({
    image: Object.freeze({
      raw: image.raw,
      valid: ref !== undefined,
      error: image.referenceError?.message ?? null,
      name: ref?.name ?? null,
      domain: ref?.domain ?? null,
      path: ref?.path ?? null,
      tag: ref?.tag ?? null,
      digest: ref?.digest ?? null,
      familiar: ref?.familiar ?? null,
    }),
    pullPolicy: Object.freeze({
      declared: image.pullPolicy.declared ?? null,
      effective: image.pullPolicy.effective,
      explicit: image.pullPolicy.explicit,
    }),
    container: Object.freeze({ name: image.container.name, type: image.container.type }),
    workload: Object.freeze({
      apiVersion: workload.apiVersion,
      kind: workload.kind,
      name: workload.name,
      labels: Object.freeze(workload.labels),
      annotations: Object.freeze(workload.annotations),
    }),
    namespace: Object.freeze({
      name: namespace.name,
      labels: namespace.labels === null ? null : Object.freeze(namespace.labels),
    }),
    pod: Object.freeze({ imagePullSecrets: Object.freeze(image.imagePullSecrets) }),
    admitted,
    registry: Object.isFrozen(registry) ? registry : Object.freeze({ ...registry }),
  });
}

/**
 * The Facts the evaluator reuses (emptyFacts, fillFacts), as the evaluator sees them: every group's
 * fields writable, for fillFacts to overwrite them image after image. What they point to (labels,
 * image pull secrets, registry facts) is the image's own or frozen, and is replaced, never written.
 * Rules get this object typed as Facts, read-only all the way down.
 */
export type ScratchFacts = {
  -readonly [G in keyof Facts]: Facts[G] extends object
    ? { -readonly [K in keyof Facts[G]]: Facts[G][K] }
    : Facts[G];
};

/**
 * A Facts object to be filled by fillFacts. The evaluator reuses one for plans of built-in rules
 * only: those are synchronous, write nothing and keep no reference, so freezing buys nothing there.
 * Invariants: docs/performance-invariants.md#the-scratch-facts.
 */
export function emptyFacts(): ScratchFacts {
  return {
    image: {
      raw: '',
      valid: false,
      error: null,
      name: null,
      domain: null,
      path: null,
      tag: null,
      digest: null,
      familiar: null,
    },
    pullPolicy: { declared: null, effective: 'IfNotPresent', explicit: false },
    container: { name: '', type: 'container' },
    workload: { apiVersion: '', kind: '', name: '', labels: EMPTY, annotations: EMPTY },
    namespace: { name: '', labels: null },
    pod: { imagePullSecrets: [] },
    admitted: false,
    registry: REGISTRY_NOT_CONSULTED,
  };
}

/** Writes the facts of `image` into `facts` (every field, so nothing of a previous image remains). */
export function fillFacts(
  facts: ScratchFacts,
  image: ExtractedImage,
  namespace: FactsNamespace,
  admitted: boolean,
  registry: RegistryFacts,
): Facts {
  const ref = image.reference;
  const target = facts.image;
  target.raw = image.raw;
  target.valid = ref !== undefined;
  target.error = image.referenceError?.message ?? null;
  target.name = ref?.name ?? null;
  target.domain = ref?.domain ?? null;
  target.path = ref?.path ?? null;
  target.tag = ref?.tag ?? null;
  target.digest = ref?.digest ?? null;
  target.familiar = ref?.familiar ?? null;
  const policy = facts.pullPolicy;
  policy.declared = image.pullPolicy.declared ?? null;
  policy.effective = image.pullPolicy.effective;
  policy.explicit = image.pullPolicy.explicit;
  facts.container.name = image.container.name;
  facts.container.type = image.container.type;
  const workload = facts.workload;
  workload.apiVersion = image.workload.apiVersion;
  workload.kind = image.workload.kind;
  workload.name = image.workload.name;
  workload.labels = image.workload.labels;
  workload.annotations = image.workload.annotations;
  facts.namespace.name = namespace.name;
  facts.namespace.labels = namespace.labels;
  facts.pod.imagePullSecrets = image.imagePullSecrets;
  facts.admitted = admitted;
  // Registry facts are frozen objects made per lookup: shared, never written.
  facts.registry = registry;
  return facts;
}
