import { loadPolicies } from '@pullguard/engine';
import { compilePolicies, createRuleCatalog } from '@pullguard/engine/internals';
import { describe, expect, it } from 'vitest';
import { fits, maxImages, PER_CALL_LIMIT, policyCost, TYPICAL } from './cost.js';
import { exportVap } from './export-vap.js';
import type { KubeObject } from './objects.js';

const policy = (variables: Record<string, string>, validations: string[]): KubeObject => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicy',
  metadata: { name: 'p' },
  spec: {
    variables: Object.entries(variables).map(([name, expression]) => ({ name, expression })),
    validations: validations.map((expression) => ({ expression, message: 'm' })),
  },
});

describe('the static cost estimate', () => {
  it('charges a comprehension its body once per item, and matches by string × pattern length', () => {
    const p = policy({ images: 'object.spec.containers.map(c, c.image)' }, [
      "variables.images.all(i, i.matches('^a+$'))",
    ]);
    const one = policyCost(p, { items: 1, chars: 100 });
    const hundred = policyCost(p, { items: 100, chars: 100 });
    // matches: ceil((1 + 100) × 0.1) × ceil(4 × 0.25) = 11 per image, plus the loop's own steps.
    expect(hundred.total - one.total).toBeGreaterThanOrEqual(99 * 11);
    expect(policyCost(p, { items: 100, chars: 1000 }).total).toBeGreaterThan(hundred.total);
  });

  it('finds an expression over the per-call limit', () => {
    const dear = policy({}, [
      "object.spec.containers.all(c, object.spec.containers.all(d, c.image.matches('^' + d.image + '$')))",
    ]);
    expect(policyCost(dear, { items: 300, chars: 1024 }).maxExpression).toBeGreaterThan(PER_CALL_LIMIT);
    expect(fits(policyCost(dear, { items: 300, chars: 1024 }))).toBe(false);
  });

  it('keeps the example policies within every limit for typical pods, and for dozens of images of 1024 characters', async () => {
    const documents = await loadPolicies([
      new URL('../../../../../examples/policies', import.meta.url).pathname,
    ]);
    const compiled = compilePolicies(documents, createRuleCatalog().rules);
    if (!compiled.ok) throw new Error('examples do not compile');
    const { objects } = exportVap({ set: compiled.set, now: Date.parse('2026-06-01') });
    for (const vap of objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy')) {
      expect(fits(policyCost(vap, TYPICAL))).toBe(true);
      expect(maxImages(vap)).toBeGreaterThanOrEqual(32);
    }
  });
});
