import { describe, expect, it } from 'vitest';
import { factsFor, prepareRule, violations } from './__fixtures__/rule-harness.js';
import { allowedPullPolicies } from './allowed-pull-policies.js';

describe('allowed-pull-policies', () => {
  it.each([
    ['nginx:1.25', undefined, ['Always'], 1],
    ['nginx:1.25', 'Always', ['Always'], 0],
    ['nginx', undefined, ['Always'], 0],
    ['nginx:1.25', 'Never', ['Always', 'IfNotPresent'], 1],
    ['nginx:1.25', undefined, ['IfNotPresent', 'Always'], 0],
  ])('%s with imagePullPolicy %s against %j: %i violations', (image, declared, policies, count) => {
    const facts = factsFor(image, declared === undefined ? {} : { imagePullPolicy: declared });
    expect(violations(allowedPullPolicies, facts, { policies })).toHaveLength(count);
  });

  it('judges the effective policy and says where it came from', () => {
    const [violation] = violations(allowedPullPolicies, factsFor('nginx:1.25'), { policies: ['Always'] });
    expect(violation?.message).toBe(
      "nginx:1.25 is pulled with imagePullPolicy IfNotPresent (the API server's default for an image that is not :latest), so kubelet pulls only when the node has no copy and otherwise runs the cached one; this policy allows only Always.",
    );
    expect(violation?.fix).toEqual({ imagePullPolicy: 'Always' });
  });

  it('fixes to IfNotPresent when Always is not allowed, and never proposes Never', () => {
    const facts = factsFor('nginx:1.25', { imagePullPolicy: 'Always' });
    expect(violations(allowedPullPolicies, facts, { policies: ['IfNotPresent', 'Never'] })[0]?.fix).toEqual({
      imagePullPolicy: 'IfNotPresent',
    });
    expect(violations(allowedPullPolicies, facts, { policies: ['Never'] })[0]?.fix).toBeUndefined();
  });

  it('reports an empty list at load', () => {
    expect(prepareRule(allowedPullPolicies, { policies: [] }).problems).toEqual([
      expect.objectContaining({ field: 'policies' }),
    ]);
  });
});
