import type { RuleDefinition } from '../rule-contract.js';
import { PULL_POLICIES, type PullPolicy } from '../types.js';
import {
  defaultPullPolicy,
  imageLabel,
  kubeletBehaviour,
  pullPolicyField,
  runsAsLatest,
} from './describe.js';

export const requireExplicitPullPolicy: RuleDefinition = {
  id: 'require-explicit-pull-policy',
  description:
    'imagePullPolicy is written in the manifest, so how kubelet pulls does not depend on a default the reader must work out.',
  hint: 'Set `imagePullPolicy` on the container (`pullPolicy` on an image volume); `pullguard fix` writes the value Kubernetes would default to.',
  defaultAction: 'warn',
  reads: ['image', 'pullPolicy'],
  // After admission every container has a policy: the API server's defaulting filled in the empty ones.
  skipWhenAdmitted:
    'require-explicit-pull-policy was not evaluated: the API server had already defaulted imagePullPolicy, so whether it was written in the manifest cannot be told (check manifests in CI instead).',
  check(facts, ctx) {
    if (!facts.image.valid) return;
    const { declared, explicit } = facts.pullPolicy;
    if (explicit && declared !== null && PULL_POLICIES.includes(declared as PullPolicy)) return;
    // A violation from here on (most images pass above).
    const field = pullPolicyField(facts);
    const fallback = defaultPullPolicy(facts);
    const fix = { imagePullPolicy: fallback };
    if (!explicit || declared === null) {
      const why = runsAsLatest(facts) ? 'it runs as :latest' : 'it is not :latest';
      return ctx.fail(
        `${field} is not set for ${imageLabel(facts)}: the API server defaults it to ${fallback} because ${why}, so ${kubeletBehaviour(fallback)} — set it explicitly.`,
        { fix },
      );
    }
    return ctx.fail(
      `${field} "${declared}" for ${imageLabel(facts)} is not one of Always, IfNotPresent, Never (they are case-sensitive): the API server rejects the object.`,
      { fix },
    );
  },
};
