import type { RuleDefinition } from '../rule-contract.js';
import { imageLabel, pullPolicyField, safePullPolicy } from './describe.js';
import { type PreparedPatterns, patternListSchema, preparePatterns } from './image-patterns-option.js';

export interface RestrictNeverOptions {
  /** Images pre-loaded on every node (node image, DaemonSet pre-puller): the only ones that may use `Never`. */
  images?: string[];
}

export const restrictNever: RuleDefinition<RestrictNeverOptions | undefined, PreparedPatterns> = {
  id: 'restrict-never',
  description:
    '`imagePullPolicy: Never` is used only for images the policy lists as pre-loaded on every node.',
  hint: 'Use `IfNotPresent` or `Always`, or add the image to the policy’s pre-loaded `images` list.',
  defaultAction: 'deny',
  reads: ['image', 'pullPolicy'],
  options: {
    type: 'object',
    additionalProperties: false,
    properties: { images: patternListSchema('Image patterns that are pre-loaded on every node.', 0) },
  },
  // A node's image store knows an image by the name as written: another spelling is not pre-loaded.
  prepare: (options, _entry, report) => preparePatterns(options, 'images', report, 'exact'),
  check(facts, ctx) {
    const name = facts.image.name;
    if (facts.pullPolicy.effective !== 'Never' || name === null) return;
    if (ctx.options.set.match(name) !== undefined) return;
    const allowed =
      ctx.options.sources.length === 0
        ? 'this policy lists no pre-loaded images'
        : `it is not one of the pre-loaded images (${ctx.options.summary})`;
    return ctx.fail(
      `${imageLabel(facts)} uses ${pullPolicyField(facts)} Never but ${allowed}: kubelet never pulls it, so the container fails with ErrImageNeverPull on any node without a copy.`,
      { fix: { imagePullPolicy: safePullPolicy(facts) } },
    );
  },
};
