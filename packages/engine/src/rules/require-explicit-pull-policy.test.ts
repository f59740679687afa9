import { describe, expect, it } from 'vitest';
import { factsFor, violations } from './__fixtures__/rule-harness.js';
import { requireExplicitPullPolicy } from './require-explicit-pull-policy.js';

describe('require-explicit-pull-policy', () => {
  it.each([
    ['nginx:1.25', 'IfNotPresent'],
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['reg.local:5000/app', 'Always'],
    ['nginx@sha256:0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f', 'IfNotPresent'],
  ])('flags %s without imagePullPolicy and fixes it to the default %s', (image, fallback) => {
    const [violation, ...rest] = violations(requireExplicitPullPolicy, factsFor(image));
    expect(rest).toEqual([]);
    expect(violation?.fix).toEqual({ imagePullPolicy: fallback });
    expect(violation?.message).toContain(`the API server defaults it to ${fallback}`);
  });

  it('explains what the default means for kubelet', () => {
    expect(violations(requireExplicitPullPolicy, factsFor('nginx:1.25'))[0]?.message).toBe(
      'imagePullPolicy is not set for nginx:1.25: the API server defaults it to IfNotPresent because it is not :latest, so kubelet pulls only when the node has no copy and otherwise runs the cached one — set it explicitly.',
    );
  });

  it.each(['Always', 'IfNotPresent', 'Never'])('passes an explicit %s', (policy) => {
    expect(
      violations(requireExplicitPullPolicy, factsFor('nginx:1.25', { imagePullPolicy: policy })),
    ).toEqual([]);
  });

  it('treats an empty value as unset, as the API server does', () => {
    expect(
      violations(requireExplicitPullPolicy, factsFor('nginx:1.25', { imagePullPolicy: '' })),
    ).toHaveLength(1);
  });

  it('rejects a value the API server does not accept (values are case-sensitive)', () => {
    const [violation] = violations(
      requireExplicitPullPolicy,
      factsFor('nginx', { imagePullPolicy: 'always' }),
    );
    expect(violation?.message).toBe(
      'imagePullPolicy "always" for nginx is not one of Always, IfNotPresent, Never (they are case-sensitive): the API server rejects the object.',
    );
    expect(violation?.fix).toEqual({ imagePullPolicy: 'Always' });
  });

  it('declares that it cannot judge admitted objects (the evaluator skips it there)', () => {
    expect(requireExplicitPullPolicy.skipWhenAdmitted).toMatch(
      /API server had already defaulted imagePullPolicy/,
    );
  });
});
