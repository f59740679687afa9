import type { RuleDefinition } from '../rule-contract.js';
import { PULL_POLICIES, type PullPolicy } from '../types.js';
import { describeEffectivePolicy, imageLabel, kubeletBehaviour, pullPolicyField } from './describe.js';
import { stringListOption } from './options.js';

export interface AllowedPullPoliciesOptions {
  policies: PullPolicy[];
}

interface Prepared {
  policies: readonly PullPolicy[];
  /** What a fix sets: Always if allowed, else IfNotPresent if allowed; never Never (it may not be on the node). */
  fix: PullPolicy | undefined;
}

export const allowedPullPolicies: RuleDefinition<AllowedPullPoliciesOptions, Prepared> = {
  id: 'allowed-pull-policies',
  description:
    'The effective imagePullPolicy (declared, or defaulted by the API server) is one the policy allows.',
  hint: 'Set `imagePullPolicy` to one of the allowed policies.',
  defaultAction: 'deny',
  reads: ['image', 'pullPolicy'],
  options: {
    type: 'object',
    additionalProperties: false,
    required: ['policies'],
    properties: {
      policies: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { enum: [...PULL_POLICIES] },
        description: 'The policies kubelet may use.',
      },
    },
  },
  prepare(options, _entry, report) {
    const policies = stringListOption(options, 'policies').filter((p): p is PullPolicy =>
      PULL_POLICIES.includes(p as PullPolicy),
    );
    if (policies.length === 0)
      report({
        message: 'policies must list at least one of Always, IfNotPresent, Never',
        field: 'policies',
      });
    const fix = policies.includes('Always')
      ? 'Always'
      : policies.includes('IfNotPresent')
        ? 'IfNotPresent'
        : undefined;
    return { policies, fix };
  },
  check(facts, ctx) {
    if (!facts.image.valid) return;
    const { policies, fix } = ctx.options;
    const effective = facts.pullPolicy.effective;
    if (policies.includes(effective)) return;
    return ctx.fail(
      `${imageLabel(facts)} is pulled with ${pullPolicyField(facts)} ${describeEffectivePolicy(facts)}, so ${kubeletBehaviour(effective)}; this policy allows only ${policies.join(', ')}.`,
      fix === undefined ? undefined : { fix: { imagePullPolicy: fix } },
    );
  },
};
