import type { Facts, RuleDefinition } from '../rule-contract.js';
import { describeEffectivePolicy, imageLabel, kubeletBehaviour } from './describe.js';
import { booleanOption } from './options.js';

export interface DisallowLatestOptions {
  /** `nginx:latest@sha256:…` runs the digest, not whatever `latest` is now. Default true. */
  allowDigestPinned?: boolean;
}

interface Prepared {
  allowDigestPinned: boolean;
}

export const disallowLatest: RuleDefinition<DisallowLatestOptions | undefined, Prepared> = {
  id: 'disallow-latest',
  description:
    'The image is not `:latest`, explicitly or implicitly (no tag and no digest means Kubernetes runs `:latest`).',
  hint: 'Use a version tag (`nginx:1.25.3`), ideally with its digest (`nginx:1.25.3@sha256:<digest>`).',
  defaultAction: 'deny',
  reads: ['image', 'pullPolicy'],
  options: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowDigestPinned: {
        type: 'boolean',
        description: 'Accept `name:latest@sha256:…`: the digest decides what runs. Default true.',
      },
    },
  },
  prepare: (options) => ({ allowDigestPinned: booleanOption(options, 'allowDigestPinned', true) }),
  check(facts, ctx) {
    const { image } = facts;
    if (!image.valid) return;
    if (image.tag === null && image.digest === null) {
      // The tag is not written: a registry port (`reg.local:5000/app`) is not a tag; the parser knows.
      return ctx.fail(
        `${imageLabel(facts)} has no tag and no digest: Kubernetes runs it as ${image.name}:latest, whatever that is at pull time; it is pulled with ${pullHow(facts)}.`,
      );
    }
    if (image.tag !== 'latest') return;
    if (image.digest !== null) {
      if (ctx.options.allowDigestPinned) return;
      return ctx.fail(
        `${imageLabel(facts)} is tagged :latest; the digest pins what runs, but the tag misleads readers and this policy rejects it (allowDigestPinned: false).`,
      );
    }
    return ctx.fail(
      `${imageLabel(facts)} uses the :latest tag, which moves with every push: nodes run whatever :latest was when they pulled; it is pulled with ${pullHow(facts)}.`,
    );
  },
};

/** Built only for a violation: most images pass. */
function pullHow(facts: Facts): string {
  return `${describeEffectivePolicy(facts)}, so ${kubeletBehaviour(facts.pullPolicy.effective)}`;
}
