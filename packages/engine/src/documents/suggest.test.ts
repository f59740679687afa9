import { describe, expect, it } from 'vitest';
import { closest, didYouMean, didYouMeanAmong } from './suggest.js';

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

  it('suggest among one candidate list for many words, the same as one at a time', () => {
    const suggest = didYouMeanAmong(rules);
    for (const word of ['require-digets', 'no-busybox', 'require-digets', 'denied-registry']) {
      expect(suggest(word)).toBe(didYouMean(word, rules));
    }
  });
});
