import { pinnedImage } from '../registry/registry-facts.js';
import type { Facts, RuleDefinition, RuleOutcome } from '../rule-contract.js';
import { outcome, unanswered } from './builtin-violation.js';
import { imageLabel } from './describe.js';
import { INSTANCE_READS, type WithInstanceReads } from './instance-reads.js';
import { booleanOption } from './options.js';

export interface RequireDigestOptions {
  /** Allow `name:tag@digest` (the digest decides what runs; the tag documents it). Default true. */
  allowTag?: boolean;
}

interface Prepared extends WithInstanceReads {
  allowTag: boolean;
  /** The entry says `mutate: true`: Pods are pinned to the digest their tag names now. */
  pin: boolean;
}

/** What `mutate: true` needs besides the image: the digest the tag names, and whether the object is a Pod. */
const PIN_READS = ['image', 'registry', 'workload'] as const;

export const requireDigest: RuleDefinition<RequireDigestOptions | undefined, Prepared> = {
  id: 'require-digest',
  description: 'The image is pinned by digest, so every node runs exactly the same content.',
  hint: 'Pin the image by digest, e.g. `image: nginx:1.25@sha256:<digest>` (`pullguard fix --pin-digests` writes it).',
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
  prepare: (options, entry) => {
    const pin = entry.entry['mutate'] === true;
    return {
      allowTag: booleanOption(options, 'allowTag', true),
      pin,
      [INSTANCE_READS]: pin ? PIN_READS : ['image'],
    };
  },
  check(facts, ctx) {
    const { image } = facts;
    if (!image.valid) return;
    if (image.digest === null) {
      return ctx.options.pin ? pinning(facts, ctx.options.allowTag) : ctx.fail(notPinned(facts));
    }
    if (image.tag !== null && !ctx.options.allowTag) {
      return ctx.fail(
        `${imageLabel(facts)} has both a tag and a digest: Kubernetes runs the digest and ignores the tag, and this policy asks for the digest alone (allowTag: false).`,
      );
    }
  },
};

function notPinned(facts: Facts): string {
  return `${imageLabel(facts)} is not pinned by digest: its tag can be moved to other content, so nodes may run different code for the same spec.`;
}

/**
 * `mutate: true`: a Pod's image is pinned at admission to the digest its tag names now (the tag
 * kept for people, unless `allowTag: false`). Controllers are never patched — their Pods are
 * pinned when admitted; patching a Deployment makes GitOps tools see drift forever and, with a
 * webhook that may fail open, controllers and the webhook fight (k8s-digester#25) — so they get a
 * warning saying so.
 */
function pinning(facts: Facts, allowTag: boolean): RuleOutcome {
  const { image, registry, workload } = facts;
  const label = imageLabel(facts);
  if (workload.kind !== 'Pod' || workload.apiVersion !== 'v1') {
    return outcome({
      message: `${label} is not pinned by digest; ${workload.kind}/${workload.name} is never patched: its Pods are pinned to the digest the tag names when they are admitted (mutate: true).`,
      atMost: 'warn',
    });
  }
  const no = unanswered(registry, registry.tagStatus, `the digest to pin ${label} to`);
  if (no?.registryError) return outcome(no);
  if (registry.tagStatus === 'not-found') {
    return outcome({
      message: `${notPinned(facts)} It cannot be pinned: ${registry.message ?? 'its tag does not exist in its registry'}.`,
    });
  }
  if (no !== undefined || registry.tagDigest === null)
    return [outcome({ message: notPinned(facts) }), ...(no ? [outcome(no)] : [])];
  // Without a digest the raw reference is `name[:tag]` as written: strip the tag when it may not stay.
  const name = image.tag !== null && !allowTag ? image.raw.slice(0, -(image.tag.length + 1)) : image.raw;
  const pinned = pinnedImage(name, registry.tagDigest);
  return outcome({
    message: `${label} is not pinned by digest; the admission webhook pins it to ${pinned}, the digest its tag names now (mutate: true).`,
    fix: { image: pinned },
    notes: registry.index
      ? ['the digest is the multi-platform index the tag names, right for every node platform']
      : undefined,
  });
}
