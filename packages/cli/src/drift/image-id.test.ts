import { describe, expect, it } from 'vitest';
import { parseImageId, runningImage } from './image-id.js';

const HEX = 'd'.repeat(64);
const D = `sha256:${HEX}`;

describe('imageID forms', () => {
  it.each([
    [`docker-pullable://nginx@${D}`, 'repo-digest'],
    [`docker-pullable://registry.local:5000/team/app@${D}`, 'repo-digest'],
    [`docker.io/library/nginx@${D}`, 'repo-digest'],
    [`ghcr.io/acme/api@${D}`, 'repo-digest'],
    [D, 'image-id'],
    [`docker://${D}`, 'image-id'],
    [HEX, 'image-id'],
  ])('%s is a %s', (imageID, kind) => {
    expect(parseImageId(imageID)).toEqual({ digest: D, kind });
  });

  it.each(['', 'docker-pullable://nginx:1.25', 'nginx:1.25', 'sha256:abc', 'containerd://x'])(
    '%j says nothing about what runs',
    (imageID) => {
      expect(parseImageId(imageID)).toBeUndefined();
    },
  );

  it('prefers a repo digest in `image` over an image ID in `imageID` (CRI-O)', () => {
    const other = `sha256:${'e'.repeat(64)}`;
    expect(runningImage(D, `quay.io/acme/app@${other}`)).toEqual({ digest: other, kind: 'repo-digest' });
    expect(runningImage(`nginx@${D}`, `quay.io/acme/app@${other}`)).toEqual({
      digest: D,
      kind: 'repo-digest',
    });
    expect(runningImage(D, 'quay.io/acme/app:1')).toEqual({ digest: D, kind: 'image-id' });
    expect(runningImage(undefined, undefined)).toBeUndefined();
  });
});
