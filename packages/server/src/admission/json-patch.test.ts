import type { PullPolicy, PullPolicyFix } from '@pullguard/engine';
import { describe, expect, it } from 'vitest';
import { parsePointer, patchForFixes, resolve } from './json-patch.js';

const fix = (pointer: string, value: PullPolicy = 'Always'): PullPolicyFix => ({
  pointer,
  field: 'imagePullPolicy',
  value,
  objectIndex: 0,
  location: undefined,
  rule: 'pull-always',
  policy: 'p',
  reason: 'mutable tag',
});

const pod = {
  spec: {
    containers: [
      { name: 'a', image: 'x:1', imagePullPolicy: 'IfNotPresent' },
      { name: 'b', image: 'y:1' },
    ],
    volumes: [{ name: 'v', image: { reference: 'z:1' } }],
  },
};

describe('patchForFixes', () => {
  it('replaces an existing field and adds a missing one', () => {
    expect(
      patchForFixes(pod, [
        fix('/spec/containers/0/imagePullPolicy'),
        fix('/spec/containers/1/imagePullPolicy'),
      ]),
    ).toEqual([
      { op: 'replace', path: '/spec/containers/0/imagePullPolicy', value: 'Always' },
      { op: 'add', path: '/spec/containers/1/imagePullPolicy', value: 'Always' },
    ]);
  });

  it('patches image volumes (pullPolicy)', () => {
    expect(patchForFixes(pod, [{ ...fix('/spec/volumes/0/image/pullPolicy'), field: 'pullPolicy' }])).toEqual(
      [{ op: 'add', path: '/spec/volumes/0/image/pullPolicy', value: 'Always' }],
    );
  });

  it('replaces an image with its pinned reference (require-digest with mutate: true)', () => {
    const pinned = `x:1@sha256:${'a'.repeat(64)}`;
    expect(
      patchForFixes(pod, [{ ...fix('/spec/containers/0/image'), field: 'image', value: pinned }]),
    ).toEqual([{ op: 'replace', path: '/spec/containers/0/image', value: pinned }]);
  });

  it('emits nothing for a field that already has the value, or a container that is not there', () => {
    expect(
      patchForFixes(pod, [
        fix('/spec/containers/0/imagePullPolicy', 'IfNotPresent'),
        fix('/spec/containers/7/imagePullPolicy'),
        fix('nope'),
      ]),
    ).toEqual([]);
  });

  it('emits one operation per path', () => {
    expect(
      patchForFixes(pod, [
        fix('/spec/containers/1/imagePullPolicy'),
        fix('/spec/containers/1/imagePullPolicy', 'Never'),
      ]),
    ).toEqual([{ op: 'add', path: '/spec/containers/1/imagePullPolicy', value: 'Never' }]);
  });
});

describe('JSON pointers', () => {
  it('unescape ~1 and ~0 (RFC 6901)', () => {
    expect(parsePointer('/metadata/annotations/a~1b~0c')).toEqual(['metadata', 'annotations', 'a/b~c']);
  });

  it('resolve own properties and array indexes only', () => {
    expect(resolve(pod, ['spec', 'containers', '1', 'name'])).toBe('b');
    expect(resolve(pod, ['spec', 'containers', '01'])).toBeUndefined();
    expect(resolve(pod, ['spec', '__proto__'])).toBeUndefined();
    expect(resolve(pod, ['spec', 'constructor'])).toBeUndefined();
  });
});
