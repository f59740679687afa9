import { describe, expect, it } from 'vitest';
import { compileLabelSelector, namespaceLabels, validateLabelSelector } from './label-selector.js';

describe('label selectors (metav1.LabelSelector semantics)', () => {
  it('an empty selector matches everything', () => {
    const selector = compileLabelSelector({});
    expect(selector.matches({})).toBe(true);
    expect(selector.text).toBe('<everything>');
  });

  it('matchLabels requires every pair', () => {
    const selector = compileLabelSelector({ matchLabels: { tier: 'prod', team: 'a' } });
    expect(selector.matches({ tier: 'prod', team: 'a', x: 'y' })).toBe(true);
    expect(selector.matches({ tier: 'prod' })).toBe(false);
  });

  it('In needs the key present with one of the values', () => {
    const selector = compileLabelSelector({
      matchExpressions: [{ key: 'env', operator: 'In', values: ['eu', 'us'] }],
    });
    expect(selector.matches({ env: 'us' })).toBe(true);
    expect(selector.matches({ env: 'asia' })).toBe(false);
    expect(selector.matches({})).toBe(false);
  });

  it('NotIn and DoesNotExist match when the key is absent', () => {
    const notIn = compileLabelSelector({
      matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }],
    });
    expect(notIn.matches({})).toBe(true);
    expect(notIn.matches({ env: 'prod' })).toBe(true);
    expect(notIn.matches({ env: 'dev' })).toBe(false);
    const absent = compileLabelSelector({ matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }] });
    expect(absent.matches({})).toBe(true);
    expect(absent.matches({ legacy: '' })).toBe(false);
  });

  it('Exists matches any value, even empty', () => {
    const selector = compileLabelSelector({ matchExpressions: [{ key: 'tenant', operator: 'Exists' }] });
    expect(selector.matches({ tenant: '' })).toBe(true);
    expect(selector.matches({})).toBe(false);
  });

  it('combines matchLabels and matchExpressions with AND', () => {
    const selector = compileLabelSelector({
      matchLabels: { tier: 'prod' },
      matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }],
    });
    expect(selector.matches({ tier: 'prod' })).toBe(true);
    expect(selector.matches({ tier: 'prod', legacy: 'true' })).toBe(false);
    expect(selector.text).toBe('tier=prod,!legacy');
  });

  it('never reads inherited properties as labels', () => {
    const selector = compileLabelSelector({ matchExpressions: [{ key: 'constructor', operator: 'Exists' }] });
    expect(selector.matches({})).toBe(false);
  });

  it('reports operators with missing or extra values and invalid keys and values', () => {
    const problems = validateLabelSelector({
      matchLabels: { 'bad key': 'x', tier: 'no spaces' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: [] },
        { key: 'tenant', operator: 'Exists', values: ['a'] },
        { key: 'example.com/team', operator: 'NotIn', values: ['-bad'] },
      ],
    });
    expect(problems.map((p) => p.field)).toEqual([
      'matchLabels["bad key"]',
      'matchLabels.tier',
      'matchExpressions[0].values',
      'matchExpressions[1].values',
      'matchExpressions[2].values[0]',
    ]);
    expect(problems[2]?.message).toBe('operator In needs at least one value');
  });

  it('accepts prefixed keys and empty values', () => {
    expect(validateLabelSelector({ matchLabels: { 'app.kubernetes.io/part-of': '' } })).toEqual([]);
    expect(validateLabelSelector({ matchLabels: { 'Bad_Prefix/x': 'y' } })).toHaveLength(1);
  });
});

describe('namespace labels', () => {
  it('always include kubernetes.io/metadata.name, as the API server sets it (KEP-2161)', () => {
    expect(namespaceLabels('prod-a', { tier: 'prod' })).toEqual({
      tier: 'prod',
      'kubernetes.io/metadata.name': 'prod-a',
    });
    expect(namespaceLabels('prod-a', { 'kubernetes.io/metadata.name': 'other' })).toEqual({
      'kubernetes.io/metadata.name': 'prod-a',
    });
    const given = { 'kubernetes.io/metadata.name': 'prod-a' };
    expect(namespaceLabels('prod-a', given)).toBe(given);
  });
});
