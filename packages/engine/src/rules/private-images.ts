import type { RuleDefinition, RuleViolation } from '../rule-contract.js';
import { describeEffectivePolicy, imageLabel, pullPolicyField } from './describe.js';
import { type PreparedPatterns, patternListSchema, preparePatterns } from './image-patterns-option.js';
import { booleanOption } from './options.js';

export interface PrivateImagesOptions {
  /** Patterns of private registries/repositories. */
  registries: string[];
  /** Pods of several tenants share nodes: a cached private image must not be reusable without credentials. */
  sharedNodes?: boolean;
  /** The cluster's kubelets re-verify pull credentials for cached images (KEP-2535). Default false. */
  kubeletVerifiesCachedCredentials?: boolean;
}

interface Prepared extends PreparedPatterns {
  sharedNodes: boolean;
  kubeletVerifiesCachedCredentials: boolean;
}

/**
 * Private images need credentials, and on nodes shared between tenants `IfNotPresent`/`Never` let
 * any pod run a private image another pod pulled (kubernetes/kubernetes#18787), unless kubelet
 * verifies credentials for cached images: KEP-2535 "Ensure Secret Pulled Images" (alpha in v1.33,
 * beta in v1.35, feature gate KubeletEnsureSecretPulledImages, kubelet configuration field
 * `imagePullCredentialsVerificationPolicy`). The policy declares that with
 * `kubeletVerifiesCachedCredentials: true`, since pullguard cannot see kubelet configuration.
 */
export const privateImages: RuleDefinition<PrivateImagesOptions, Prepared> = {
  id: 'private-images',
  description:
    'Images from private registries come with imagePullSecrets and, on nodes shared between tenants, are pulled with Always unless kubelet verifies credentials for cached images (KEP-2535).',
  hint: 'Add `imagePullSecrets` to the pod and, on shared nodes, set `imagePullPolicy: Always`.',
  defaultAction: 'deny',
  reads: ['image', 'pullPolicy', 'pod'],
  options: {
    type: 'object',
    additionalProperties: false,
    required: ['registries'],
    properties: {
      registries: patternListSchema('Patterns of private registries or repositories.', 1),
      sharedNodes: { type: 'boolean', description: 'Nodes are shared between tenants. Default false.' },
      kubeletVerifiesCachedCredentials: {
        type: 'boolean',
        description:
          'Kubelet re-verifies pull credentials for cached images (KEP-2535 imagePullCredentialsVerificationPolicy). Default false.',
      },
    },
  },
  prepare: (options, _entry, report) => ({
    // Matching restricts (credentials, Always), so every spelling of a private registry counts.
    ...preparePatterns(options, 'registries', report, 'registry'),
    sharedNodes: booleanOption(options, 'sharedNodes', false),
    kubeletVerifiesCachedCredentials: booleanOption(options, 'kubeletVerifiesCachedCredentials', false),
  }),
  check(facts, ctx) {
    const name = facts.image.name;
    if (name === null) return;
    const matched = ctx.options.set.match(name);
    if (matched === undefined) return;
    const violations: RuleViolation[] = [];
    if (facts.pod.imagePullSecrets.length === 0) {
      violations.push(
        ctx.fail(
          `${imageLabel(facts)} is private (matches ${matched.source}) but the pod has no imagePullSecrets: kubelet can pull it only with node-wide credentials, and otherwise the pod fails with ErrImagePull.`,
        ),
      );
    }
    const effective = facts.pullPolicy.effective;
    if (ctx.options.sharedNodes && !ctx.options.kubeletVerifiesCachedCredentials && effective !== 'Always') {
      violations.push(
        ctx.fail(
          `${imageLabel(facts)} is private (matches ${matched.source}) and pulled with ${pullPolicyField(facts)} ${describeEffectivePolicy(facts)} on shared nodes: once any pod pulled it, pods without credentials can run the cached copy. Use Always, or declare kubeletVerifiesCachedCredentials when kubelets verify cached images (KEP-2535).`,
          { fix: { imagePullPolicy: 'Always' } },
        ),
      );
    }
    return violations;
  },
};
