import { describe, expect, it } from 'vitest';
import type { Finding, ImageFix, PullPolicy } from '../types.js';
import { mergeFixes } from './fixes.js';

const fix = (pointer: string, value: PullPolicy, rule: string, objectIndex = 0): ImageFix => ({
  pointer,
  field: 'imagePullPolicy',
  value,
  objectIndex,
  location: undefined,
  rule,
  policy: 'p',
  reason: `${rule} says ${value}`,
});
const finding = (f: ImageFix | undefined, exemption?: 'active' | 'expired') =>
  ({ fix: f, exemption: exemption && { status: exemption } }) as unknown as Finding;

describe('mergeFixes', () => {
  it('keeps one fix per field, Always over IfNotPresent, in order of first appearance', () => {
    const a = '/spec/containers/0/imagePullPolicy';
    const b = '/spec/containers/1/imagePullPolicy';
    expect(
      mergeFixes([
        finding(fix(a, 'IfNotPresent', 'require-explicit-pull-policy')),
        finding(fix(b, 'IfNotPresent', 'require-explicit-pull-policy')),
        finding(fix(a, 'Always', 'mutable-tags-require-always')),
        finding(fix(a, 'IfNotPresent', 'allowed-pull-policies')),
        finding(undefined),
      ]).map((f) => [f.pointer, f.value, f.rule]),
    ).toEqual([
      [a, 'Always', 'mutable-tags-require-always'],
      [b, 'IfNotPresent', 'require-explicit-pull-policy'],
    ]);
  });

  it('treats the same pointer in different objects as different fields', () => {
    const p = '/spec/containers/0/imagePullPolicy';
    expect(mergeFixes([finding(fix(p, 'Always', 'r', 0)), finding(fix(p, 'Always', 'r', 1))])).toHaveLength(
      2,
    );
  });

  it('leaves findings under an active exemption alone, but fixes expired ones', () => {
    const p = '/spec/containers/0/imagePullPolicy';
    expect(mergeFixes([finding(fix(p, 'Always', 'r'), 'active')])).toEqual([]);
    expect(mergeFixes([finding(fix(p, 'Always', 'r'), 'expired')])).toHaveLength(1);
  });
});
