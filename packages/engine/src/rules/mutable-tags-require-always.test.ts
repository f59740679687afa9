import { describe, expect, it } from 'vitest';
import { factsFor, violations } from './__fixtures__/rule-harness.js';
import { mutableTagsRequireAlways } from './mutable-tags-require-always.js';

const DIGEST = 'sha256:0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f';

describe('mutable-tags-require-always', () => {
  it.each([
    ['nginx:1.25', undefined, 1],
    ['nginx:1.25', 'IfNotPresent', 1],
    ['nginx:1.25', 'Never', 1],
    ['nginx:1.25', 'Always', 0],
    ['nginx', undefined, 0],
    [`nginx:1.25@${DIGEST}`, undefined, 0],
    [`nginx@${DIGEST}`, 'IfNotPresent', 0],
  ])('%s with imagePullPolicy %s: %i violations', (image, declared, count) => {
    const facts = factsFor(image, declared === undefined ? {} : { imagePullPolicy: declared });
    expect(violations(mutableTagsRequireAlways, facts)).toHaveLength(count);
  });

  it('explains the stale-copy risk and fixes to Always', () => {
    expect(violations(mutableTagsRequireAlways, factsFor('ghcr.io/acme/api:2.3'))).toEqual([
      {
        message:
          "ghcr.io/acme/api:2.3 is not pinned by digest and is pulled with imagePullPolicy IfNotPresent (the API server's default for an image that is not :latest): nodes that already have ghcr.io/acme/api:2.3 keep running their copy after the tag moves, so replicas can run different code.",
        fix: { imagePullPolicy: 'Always' },
      },
    ]);
  });
});
