import { describe, expect, it } from 'vitest';
import { formatFieldPath, joinFieldPath, parseFieldPath } from './field-path.js';

describe('field paths', () => {
  it('format keys with dots and indexes with brackets', () => {
    expect(formatFieldPath(['spec', 'rules', 2, 'with', 'registries', 0])).toBe(
      'spec.rules[2].with.registries[0]',
    );
  });

  it('quote keys that are not identifiers', () => {
    const path = formatFieldPath(['spec', 'namespaceSelector', 'matchLabels', 'app.kubernetes.io/name']);
    expect(path).toBe('spec.namespaceSelector.matchLabels["app.kubernetes.io/name"]');
    expect(parseFieldPath(path)).toEqual([
      'spec',
      'namespaceSelector',
      'matchLabels',
      'app.kubernetes.io/name',
    ]);
  });

  it('parse what they format', () => {
    expect(parseFieldPath('spec.rules[12].when')).toEqual(['spec', 'rules', 12, 'when']);
    expect(parseFieldPath('')).toEqual([]);
  });

  it('join a relative path below a base', () => {
    expect(joinFieldPath('spec.rules[1].with', 'registries[2]')).toBe('spec.rules[1].with.registries[2]');
    expect(joinFieldPath('spec.rules[1].with', undefined)).toBe('spec.rules[1].with');
  });
});
