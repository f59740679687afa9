import { describe, expect, it } from 'vitest';
import { factsFor, messages, prepareRule } from './__fixtures__/rule-harness.js';
import { builtinRules } from './index.js';

/** Options that make each rule as strict as it gets. */
const strictest: Record<string, unknown> = {
  'require-digest': { allowTag: false },
  'allowed-pull-policies': { policies: ['Always'] },
  'disallow-latest': { allowDigestPinned: false },
  'allowed-registries': { registries: ['registry.acme.io/'] },
  'denied-registries': { registries: ['**'] },
  'allowed-tags': { pattern: 'v[0-9]+', allowDigestOnly: false },
  'restrict-never': { images: [] },
  'private-images': { registries: ['**'], sharedNodes: true },
};

describe('the built-in rules', () => {
  it('have unique ids, a description, a hint and declared reads', () => {
    const ids = builtinRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of builtinRules) {
      expect(rule.description.length, rule.id).toBeGreaterThan(20);
      if (rule.id !== 'expression') {
        expect(rule.hint, rule.id).toMatch(/\.$/);
        expect(rule.reads, rule.id).toBeDefined();
      }
    }
  });

  it('accept their strictest options at load', () => {
    for (const [id, options] of Object.entries(strictest)) {
      const rule = builtinRules.find((r) => r.id === id)!;
      expect(prepareRule(rule, options).problems, id).toEqual([]);
    }
  });

  it('leave an image that does not parse to invalid-image, whatever their options', () => {
    const facts = factsFor('Nginx:latest', { imagePullPolicy: 'Never' });
    for (const rule of builtinRules) {
      if (rule.id === 'expression') continue;
      const found = messages(rule, facts, strictest[rule.id]);
      expect(found, rule.id).toHaveLength(rule.id === 'invalid-image' ? 1 : 0);
    }
  });
});
