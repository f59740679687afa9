import type { RuleDefinition } from '../rule-contract.js';
import { outcome, unanswered } from './builtin-violation.js';
import { imageLabel } from './describe.js';

/**
 * The tag or digest kubelet will pull exists in its registry, so a typo'd or deleted tag fails in
 * CI instead of as ErrImagePull at rollout. What is pulled: the digest when the image has one
 * (kubelet ignores a tag next to it), else the tag (`latest` when neither is written).
 */
export const imageExists: RuleDefinition = {
  id: 'image-exists',
  description: 'The tag or digest kubelet pulls exists in its registry.',
  hint: 'Fix the tag or digest (list the tags with `crane ls NAME`), or push the image before deploying.',
  defaultAction: 'deny',
  reads: ['image', 'registry'],
  check(facts) {
    const { image, registry } = facts;
    if (!image.valid) return;
    const pulled = image.digest !== null ? image.digest : `tag ${image.tag ?? 'latest'}`;
    const no = unanswered(registry, registry.status, `whether ${imageLabel(facts)} exists`);
    if (no !== undefined) return outcome(no);
    if (registry.status !== 'not-found') return;
    return outcome({
      message: `${imageLabel(facts)} does not exist: ${registry.message ?? `its registry has no ${pulled}`}. Kubelet would fail the container with ErrImagePull.`,
      notes:
        image.tag === null && image.digest === null
          ? ['an image without tag or digest is pulled as :latest']
          : undefined,
    });
  },
};
