import type { RuleDefinition } from '../rule-contract.js';

export const INVALID_IMAGE_RULE = 'invalid-image';

/**
 * Always on: the evaluator adds this rule (action deny, policy BUILTIN_POLICY) to every namespace's
 * plan that does not name it, so an unparseable image can never pass for lack of a policy. A policy
 * that names it explicitly decides its action itself. The other built-in rules skip invalid images,
 * so each one is reported once, here.
 */
export const invalidImage: RuleDefinition = {
  id: INVALID_IMAGE_RULE,
  description: 'The image reference parses as Kubernetes parses it (distribution/reference).',
  hint: 'Write the image as `[registry[:port]/]repository[:tag][@sha256:<64 hex digits>]`, in lowercase.',
  defaultAction: 'deny',
  reads: ['image'],
  check(facts, ctx) {
    if (facts.image.valid) return;
    // The parser's message names the image and the offending character.
    const why = facts.image.error ?? `${JSON.stringify(facts.image.raw)} is not a valid image reference`;
    return ctx.fail(`${why}. Kubelet cannot pull it and the container fails with InvalidImageName.`);
  },
};
