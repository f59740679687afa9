import type { RuleDefinition } from '../rule-contract.js';
import { outcome, unanswered } from './builtin-violation.js';
import { imageLabel } from './describe.js';

/**
 * For `name:tag@digest`: the tag still names the pinned digest. Kubelet pulls the digest and
 * ignores the tag, so when the tag moves nothing changes in the cluster — but the manifest now says
 * one thing (the tag people read) and runs another (the digest).
 */
export const digestMatchesTag: RuleDefinition = {
  id: 'digest-matches-tag',
  description: 'For an image with a tag and a digest, the tag still names that digest in its registry.',
  hint: 'Pin the digest the tag names now (remove the old digest and run `pullguard fix --pin-digests`), or write the tag that names the pinned digest.',
  defaultAction: 'deny',
  reads: ['image', 'registry'],
  check(facts) {
    const { image, registry } = facts;
    if (!image.valid || image.tag === null || image.digest === null) return;
    const label = imageLabel(facts);
    const no = unanswered(registry, registry.tagStatus, `whether the tag of ${label} still names its digest`);
    if (no !== undefined) return outcome(no);
    if (registry.tagStatus === 'not-found') {
      return outcome({
        message: `${label}: the tag ${image.tag} no longer exists in its registry (${registry.message}); the pinned digest ${image.digest} still runs.`,
      });
    }
    if (registry.tagDigest === null || registry.tagDigest === image.digest) return;
    return outcome({
      message: `${label}: the tag moved; the pinned digest still runs. The tag ${image.tag} now names ${registry.tagDigest}; the manifest pins ${image.digest}.`,
    });
  },
};
