/**
 * Facts: what every rule sees about one image (built-in, plugin and JSON Logic rules alike).
 * Built only when a rule has to run (a result-cache miss), from fields the extractor already computed.
 */
import type { Facts } from '../rule-contract.js';
import type { ExtractedImage } from '../types.js';

export interface FactsNamespace {
  name: string;
  /** null when the namespace's labels are unknown. */
  labels: Readonly<Record<string, string>> | null;
}

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});

export function buildFacts(image: ExtractedImage, namespace: FactsNamespace, admitted: boolean): Facts {
  return fillFacts(emptyFacts(), image, namespace, admitted);
}

/** A Facts object to be filled by fillFacts (the evaluator reuses one for its built-in rules). */
export function emptyFacts(): Facts {
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
  };
}

/** Writes the facts of `image` into `facts` (every field, so nothing of a previous image remains). */
export function fillFacts(
  facts: Facts,
  image: ExtractedImage,
  namespace: FactsNamespace,
  admitted: boolean,
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
  return facts;
}
