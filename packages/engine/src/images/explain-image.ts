import type { ImageReference, PullPolicy, PullPolicyDecision } from '../types.js';

/**
 * What kubelet does with one image reference under each pull policy: the product's seed
 * knowledge, in one answer. Sources (Kubernetes v1.33):
 * - defaulting: pkg/apis/core/v1/defaults.go SetDefaults_Container (see engine effectivePullPolicy)
 * - pulling: pkg/kubelet/images/image_manager.go EnsureImageExists / shouldPullImage — Always pulls
 *   on every container start, IfNotPresent only when the image is absent from the node, Never never
 *   (ErrImageNeverPull when absent)
 * - "pulling" with Always resolves the reference at the registry; the runtime reuses layers it has
 *   (CRI PullImage is content-addressed), so an unchanged digest costs a manifest round-trip
 * - private images cached on a node are usable without credentials under IfNotPresent/Never
 *   unless the KubeletEnsureSecretPulledImages feature (KEP-2535, alpha in 1.33) is enabled
 */
export interface PolicyMeaning {
  policy: PullPolicy;
  /** When kubelet contacts the registry. */
  pulls: string;
  /** What that means for this reference. */
  meaning: string;
}

export interface ImageExplanation {
  input: string;
  reference: ImageReference;
  /** Fully written out: `docker.io/library/nginx:latest` (the implied `latest` made explicit). */
  canonical: string;
  familiar: string;
  /** No digest: what the reference names can change between pulls. */
  mutable: boolean;
  default: { policy: PullPolicy; reason: string };
  policies: PolicyMeaning[];
  recommendation: string;
}

function canonical(ref: ImageReference): string {
  const tag = ref.tag ?? (ref.digest === undefined ? 'latest' : undefined);
  return `${ref.name}${tag === undefined ? '' : `:${tag}`}${ref.digest === undefined ? '' : `@${ref.digest}`}`;
}

export function explainImage(
  input: string,
  reference: ImageReference,
  defaulted: PullPolicyDecision,
): ImageExplanation {
  const mutable = reference.digest === undefined;
  const tag = reference.tag ?? 'latest';
  const what = mutable
    ? `tag "${tag}"${reference.tag === undefined ? ' (implied)' : ''}`
    : `digest ${reference.digest}`;
  const policies: PolicyMeaning[] = [
    {
      policy: 'Always',
      pulls: 'on every container start',
      meaning: mutable
        ? `kubelet resolves ${what} at ${reference.domain} each time a container starts and pulls the image if the tag moved (only the layers it lacks). Every start runs what the tag points to at that moment, so replicas started at different times can differ. If the registry is unreachable or credentials fail, the container cannot start even though an older copy is on the node.`
        : `kubelet asks ${reference.domain} for the manifest of ${what} on every container start (credentials are checked each time); the content cannot change and cached layers are reused, so the cost is one registry round-trip. If the registry is unreachable, the container cannot start even though the image is on the node.`,
    },
    {
      policy: 'IfNotPresent',
      pulls: 'only when the node does not have the image',
      meaning: mutable
        ? `a node that already has ${reference.familiar} keeps running its copy after the tag moves: nodes can run different, stale content, and which one you get depends on where the pod lands. A pod without pull credentials can also use a private image another pod already pulled onto the node (unless kubelet's KubeletEnsureSecretPulledImages feature is on).`
        : `the digest pins the bytes, so a cached copy is exactly the right one: no registry traffic after the first pull, and every node runs the same content. This is the efficient choice for digests.`,
    },
    {
      policy: 'Never',
      pulls: 'never',
      meaning: `the image must already be on the node (pre-loaded, e.g. air-gapped nodes or a pre-pull DaemonSet); otherwise the container fails with ErrImageNeverPull.${mutable ? ' Whatever copy of the tag the node has runs, however old.' : ''}`,
    },
  ];
  const recommendation = mutable
    ? `Pin by digest (${reference.familiar.replace(/:[^:/@]+$/, '')}:${tag}@sha256:<digest>) so every node runs the same bytes; until then pull it with Always.`
    : `Pinned by digest: IfNotPresent is right (${
        defaulted.policy === 'IfNotPresent'
          ? 'it is the default'
          : 'set it explicitly: the tag "latest" makes the API server default to Always'
      }); Always only adds a registry round-trip per start.`;
  return {
    input,
    reference,
    canonical: canonical(reference),
    familiar: reference.familiar,
    mutable,
    default: { policy: defaulted.policy, reason: defaulted.reason },
    policies,
    recommendation,
  };
}
