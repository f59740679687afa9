import type { RuleDefinition } from '../rule-contract.js';
import { imageLabel } from './describe.js';
import { booleanOption } from './options.js';

export interface RequireDigestOptions {
  /** Allow `name:tag@digest` (the digest decides what runs; the tag documents it). Default true. */
  allowTag?: boolean;
}

interface Prepared {
  allowTag: boolean;
}

export const requireDigest: RuleDefinition<RequireDigestOptions | undefined, Prepared> = {
  id: 'require-digest',
  description: 'The image is pinned by digest, so every node runs exactly the same content.',
  hint: 'Pin the image by digest, e.g. `image: nginx:1.25@sha256:<digest>` (get it with `crane digest nginx:1.25`).',
  defaultAction: 'deny',
  reads: ['image'],
  options: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowTag: {
        type: 'boolean',
        description: 'Allow a tag next to the digest (`nginx:1.25@sha256:…`). Default true.',
      },
    },
  },
  prepare: (options) => ({ allowTag: booleanOption(options, 'allowTag', true) }),
  check(facts, ctx) {
    const { image } = facts;
    if (!image.valid) return;
    if (image.digest === null) {
      return ctx.fail(
        `${imageLabel(facts)} is not pinned by digest: its tag can be moved to other content, so nodes may run different code for the same spec.`,
      );
    }
    if (image.tag !== null && !ctx.options.allowTag) {
      return ctx.fail(
        `${imageLabel(facts)} has both a tag and a digest: Kubernetes runs the digest and ignores the tag, and this policy asks for the digest alone (allowTag: false).`,
      );
    }
  },
};
