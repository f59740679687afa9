import { describe, expect, it } from 'vitest';
import { factsFor, messages, violations } from './__fixtures__/rule-harness.js';
import { digestMatchesTag } from './digest-matches-tag.js';

const PINNED = `sha256:${'a'.repeat(64)}`;
const MOVED = `sha256:${'b'.repeat(64)}`;

describe('digest-matches-tag', () => {
  it('passes when the tag still names the pinned digest', () => {
    const facts = factsFor(`nginx:1.25@${PINNED}`, {
      registry: { status: 'resolved', digest: PINNED, tagStatus: 'resolved', tagDigest: PINNED },
    });
    expect(messages(digestMatchesTag, facts)).toEqual([]);
  });

  it('names both digests when the tag moved', () => {
    const facts = factsFor(`nginx:1.25@${PINNED}`, {
      registry: { status: 'resolved', digest: PINNED, tagStatus: 'resolved', tagDigest: MOVED },
    });
    expect(messages(digestMatchesTag, facts)).toEqual([
      `nginx:1.25@${PINNED}: the tag moved; the pinned digest still runs. The tag 1.25 now names ${MOVED}; the manifest pins ${PINNED}.`,
    ]);
  });

  it('reports a tag that no longer exists', () => {
    const facts = factsFor(`nginx:1.25@${PINNED}`, {
      registry: { status: 'resolved', digest: PINNED, tagStatus: 'not-found', message: 'gone (404)' },
    });
    expect(messages(digestMatchesTag, facts)[0]).toMatch(
      /the tag 1\.25 no longer exists in its registry \(gone \(404\)\); the pinned digest .* still runs/,
    );
  });

  it('judges only images with both a tag and a digest', () => {
    const moved = { status: 'resolved' as const, tagStatus: 'resolved' as const, tagDigest: MOVED };
    expect(messages(digestMatchesTag, factsFor('nginx:1.25', { registry: moved }))).toEqual([]);
    expect(messages(digestMatchesTag, factsFor(`nginx@${PINNED}`, { registry: moved }))).toEqual([]);
  });

  it('turns an error of the tag lookup into a registry-error outcome', () => {
    const facts = factsFor(`nginx:1.25@${PINNED}`, {
      registry: {
        status: 'resolved',
        tagStatus: 'error',
        host: 'registry-1.docker.io',
        failureKind: 'timeout',
        message: 'slow',
        hint: 'wait',
      },
    });
    expect(violations(digestMatchesTag, facts)).toEqual([
      expect.objectContaining({ registryError: { host: 'registry-1.docker.io', hint: 'wait' } }),
    ]);
  });
});
