import { describe, expect, it } from 'vitest';
import { factsFor, messages } from './__fixtures__/rule-harness.js';
import { requireDigest } from './require-digest.js';

const DIGEST = 'sha256:0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f';

describe('require-digest', () => {
  it.each([
    ['nginx', 1],
    ['nginx:1.25', 1],
    ['reg.local:5000/app', 1],
    ['reg.local:5000/app:2.0', 1],
    [`nginx@${DIGEST}`, 0],
    [`nginx:1.25@${DIGEST}`, 0],
    [`reg.local:5000/team/app:2.0@${DIGEST}`, 0],
  ])('judges %s (%i violations)', (image, count) => {
    expect(messages(requireDigest, factsFor(image))).toHaveLength(count);
  });

  it('says why a tag is not enough', () => {
    expect(messages(requireDigest, factsFor('ghcr.io/acme/api:2.3'))).toEqual([
      'ghcr.io/acme/api:2.3 is not pinned by digest: its tag can be moved to other content, so nodes may run different code for the same spec.',
    ]);
  });

  it('rejects a tag next to the digest only when allowTag is false', () => {
    const facts = factsFor(`nginx:1.25@${DIGEST}`);
    expect(messages(requireDigest, facts, { allowTag: true })).toEqual([]);
    expect(messages(requireDigest, facts, { allowTag: false })[0]).toMatch(/has both a tag and a digest/);
    expect(messages(requireDigest, factsFor(`nginx@${DIGEST}`), { allowTag: false })).toEqual([]);
  });

  it('leaves images that do not parse to invalid-image', () => {
    expect(messages(requireDigest, factsFor('Nginx:1.25'))).toEqual([]);
  });
});
