import { describe, expect, it } from 'vitest';
import { factsFor, violations } from './__fixtures__/rule-harness.js';
import { restrictNever } from './restrict-never.js';

const DIGEST = 'sha256:0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f';
const preloaded = { images: ['registry.k8s.io/pause', 'reg.local:5000/preloaded/'] };

describe('restrict-never', () => {
  it.each([
    ['registry.k8s.io/pause:3.9', 'Never', 0],
    ['reg.local:5000/preloaded/tools:1', 'Never', 0],
    ['nginx:1.25', 'Never', 1],
    ['nginx:1.25', 'IfNotPresent', 0],
    ['nginx', undefined, 0],
    ['Nginx:1.25', 'Never', 0],
    // The node's image store knows the name as written: another spelling is another image there.
    ['registry.k8s.io:443/pause:3.9', 'Never', 1],
  ])('%s with %s: %i violations', (image, policy, count) => {
    const facts = factsFor(image, policy === undefined ? {} : { imagePullPolicy: policy });
    expect(violations(restrictNever, facts, preloaded)).toHaveLength(count);
  });

  it('explains ErrImageNeverPull and fixes to Always for tags, IfNotPresent for digests', () => {
    const [tagged] = violations(
      restrictNever,
      factsFor('nginx:1.25', { imagePullPolicy: 'Never' }),
      preloaded,
    );
    expect(tagged?.message).toBe(
      'nginx:1.25 uses imagePullPolicy Never but it is not one of the pre-loaded images (registry.k8s.io/pause, reg.local:5000/preloaded/): kubelet never pulls it, so the container fails with ErrImageNeverPull on any node without a copy.',
    );
    expect(tagged?.fix).toEqual({ imagePullPolicy: 'Always' });
    const [pinned] = violations(restrictNever, factsFor(`nginx@${DIGEST}`, { imagePullPolicy: 'Never' }), {});
    expect(pinned?.message).toContain('this policy lists no pre-loaded images');
    expect(pinned?.fix).toEqual({ imagePullPolicy: 'IfNotPresent' });
  });
});
