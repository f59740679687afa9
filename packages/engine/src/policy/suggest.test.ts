import { describe, expect, it } from 'vitest';
import { closest, didYouMean } from './suggest.js';

describe('did-you-mean suggestions', () => {
  const rules = ['require-digest', 'disallow-latest', 'allowed-registries', 'denied-registries'];

  it('suggest the closest candidate for a typo', () => {
    expect(closest('require-digets', rules)).toBe('require-digest');
    expect(closest('allowed-registry', rules)).toBe('allowed-registries');
  });

  it('suggest nothing when no candidate is close', () => {
    expect(closest('no-busybox', rules)).toBeUndefined();
    expect(didYouMean('no-busybox', rules)).toBe('');
  });

  it('format the suggestion as a parenthesised question', () => {
    expect(didYouMean('exemption', ['exemptions', 'extends'])).toBe(' (did you mean "exemptions"?)');
  });
});
