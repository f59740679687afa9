import type { RuleDefinition } from '../rule-contract.js';
import { describeEffectivePolicy, imageLabel, pullPolicyField } from './describe.js';

export const mutableTagsRequireAlways: RuleDefinition = {
  id: 'mutable-tags-require-always',
  description:
    'An image not pinned by digest is pulled with `Always`, so a moved tag reaches every node instead of each node keeping the copy it pulled first.',
  hint: 'Set `imagePullPolicy: Always`, or pin the image by digest.',
  defaultAction: 'deny',
  reads: ['image', 'pullPolicy'],
  check(facts, ctx) {
    if (!facts.image.valid || facts.image.digest !== null) return;
    const effective = facts.pullPolicy.effective;
    if (effective === 'Always') return;
    const consequence =
      effective === 'Never'
        ? 'kubelet never pulls it and runs whatever copy a node has, however old'
        : `nodes that already have ${imageLabel(facts)} keep running their copy after the tag moves, so replicas can run different code`;
    return ctx.fail(
      `${imageLabel(facts)} is not pinned by digest and is pulled with ${pullPolicyField(facts)} ${describeEffectivePolicy(facts)}: ${consequence}.`,
      { fix: { imagePullPolicy: 'Always' } },
    );
  },
};
