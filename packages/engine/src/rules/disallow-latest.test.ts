import { describe, expect, it } from 'vitest';
import { factsFor, messages } from './__fixtures__/rule-harness.js';
import { disallowLatest } from './disallow-latest.js';

const DIGEST = 'sha256:0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f';

describe('disallow-latest', () => {
  it.each([
    ['nginx', 1],
    ['nginx:latest', 1],
    ['docker.io/library/nginx:latest', 1],
    ['reg.local:5000/app', 1],
    ['localhost:5000/team/app', 1],
    ['[::1]:5000/app', 1],
    ['reg.local:5000/app:1.2', 0],
    ['nginx:1.25', 0],
    ['nginx:Latest', 0],
    ['nginx:latest-alpine', 0],
    [`nginx@${DIGEST}`, 0],
    [`nginx:latest@${DIGEST}`, 0],
  ])('judges %s (%i violations)', (image, count) => {
    expect(messages(disallowLatest, factsFor(image))).toHaveLength(count);
  });

  it('explains that an untagged image runs as :latest and how it is pulled', () => {
    expect(messages(disallowLatest, factsFor('nginx'))).toEqual([
      "nginx has no tag and no digest: Kubernetes runs it as docker.io/library/nginx:latest, whatever that is at pull time; it is pulled with Always (the API server's default for an image that runs as :latest), so kubelet asks the registry on every container start.",
    ]);
  });

  it('does not take a registry port for a tag', () => {
    expect(messages(disallowLatest, factsFor('reg.local:5000/app'))[0]).toMatch(
      /^reg\.local:5000\/app has no tag and no digest: Kubernetes runs it as reg\.local:5000\/app:latest/,
    );
  });

  it('says when an explicit IfNotPresent keeps a stale :latest', () => {
    expect(
      messages(disallowLatest, factsFor('nginx:latest', { imagePullPolicy: 'IfNotPresent' }))[0],
    ).toContain('IfNotPresent (set explicitly), so kubelet pulls only when the node has no copy');
  });

  it('accepts :latest pinned by digest unless allowDigestPinned is false', () => {
    const facts = factsFor(`nginx:latest@${DIGEST}`);
    expect(messages(disallowLatest, facts, { allowDigestPinned: true })).toEqual([]);
    expect(messages(disallowLatest, facts, { allowDigestPinned: false })[0]).toMatch(
      /allowDigestPinned: false/,
    );
  });
});
