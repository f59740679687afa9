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

export function buildFacts(image: ExtractedImage, namespace: FactsNamespace, admitted: boolean): Facts {
  const ref = image.reference;
  const { workload } = image;
  return {
    image: {
      raw: image.raw,
      valid: ref !== undefined,
      error: image.referenceError?.message ?? null,
      name: ref?.name ?? null,
      domain: ref?.domain ?? null,
      path: ref?.path ?? null,
      tag: ref?.tag ?? null,
      digest: ref?.digest ?? null,
      familiar: ref?.familiar ?? null,
    },
    pullPolicy: {
      declared: image.pullPolicy.declared ?? null,
      effective: image.pullPolicy.effective,
      explicit: image.pullPolicy.explicit,
    },
    container: { name: image.container.name, type: image.container.type },
    workload: {
      apiVersion: workload.apiVersion,
      kind: workload.kind,
      name: workload.name,
      labels: workload.labels,
      annotations: workload.annotations,
    },
    namespace: { name: namespace.name, labels: namespace.labels },
    pod: { imagePullSecrets: image.imagePullSecrets },
    admitted,
  };
}
