import { describe, expect, it } from 'vitest';
import { isNamespaceName, parseLabels } from './k8s-names.js';

describe('isNamespaceName', () => {
  it('accepts RFC 1123 labels of at most 63 characters', () => {
    for (const name of ['default', 'prod-a', 'a', '0-9', 'x'.repeat(63)])
      expect(isNamespaceName(name)).toBe(true);
  });

  it('rejects anything else', () => {
    for (const name of ['', 'Prod', 'prod_a', '-a', 'a-', 'a.b', 'x'.repeat(64), 42, null]) {
      expect(isNamespaceName(name)).toBe(false);
    }
  });
});

describe('parseLabels', () => {
  it('reads k=v pairs, prefixed keys and empty values', () => {
    expect(parseLabels('env=prod, example.com/team=web,empty=')).toEqual({
      env: 'prod',
      'example.com/team': 'web',
      empty: '',
    });
  });

  it('reads an empty string as no labels (known to have none)', () => {
    expect(parseLabels('')).toEqual({});
  });

  it.each([
    'env',
    '=prod',
    '-env=prod',
    'env=-prod',
    `env=${'v'.repeat(64)}`,
    `${'k'.repeat(64)}=v`,
    'Example.com/team=web',
    'a/b/c=v',
  ])('rejects %j with INVALID_REQUEST on field labels', (text) => {
    expect(() => parseLabels(text)).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST', field: 'labels' }),
    );
  });
});
