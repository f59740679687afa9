import { describe, expect, it } from 'vitest';
import { factsFor, messages } from './__fixtures__/rule-harness.js';
import { invalidImage } from './invalid-image.js';

describe('invalid-image', () => {
  it.each(['Nginx:1.25', 'nginx:', 'nginx@sha256:abc', 'http://reg/app', 'a//b'])(
    'denies %s and says why',
    (image) => {
      const [message, ...rest] = messages(invalidImage, factsFor(image));
      expect(rest).toEqual([]);
      expect(message).toContain(JSON.stringify(image));
      expect(message).toMatch(/\. Kubelet cannot pull it and the container fails with InvalidImageName\.$/);
    },
  );

  it('passes the parser’s explanation through', () => {
    expect(messages(invalidImage, factsFor('Nginx:1.25'))[0]).toMatch(/repository name must be lowercase/);
  });

  it.each(['nginx', 'reg.local:5000/app:1', 'ghcr.io/acme/api:2.3'])('passes %s', (image) => {
    expect(messages(invalidImage, factsFor(image))).toEqual([]);
  });
});
