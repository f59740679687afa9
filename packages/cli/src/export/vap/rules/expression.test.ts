import { parsePolicies } from '@pullguard/engine';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { NAMESPACES, workload } from '../__fixtures__/coverage.js';
import { compare, setUp } from '../__fixtures__/equivalence.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');

function documents(when: unknown) {
  const text = stringify({
    apiVersion: 'pullguard.dev/v1',
    kind: 'PullPolicy',
    metadata: { name: 'expr' },
    spec: { namespaces: ['*'], rules: [{ rule: 'expression', id: 'e', when }] },
  });
  const parsed = parsePolicies([{ text }]);
  expect(parsed.errors).toEqual([]);
  return parsed.documents;
}

const STRING_FACTS = [
  'image.raw',
  'image.name',
  'image.domain',
  'image.path',
  'image.tag',
  'image.digest',
  'image.familiar',
  'pullPolicy.declared',
  'pullPolicy.effective',
  'container.name',
  'container.type',
  'workload.kind',
  'workload.name',
  'workload.labels.owner',
  'namespace.name',
  'namespace.labels.team',
];
const BOOL_FACTS = ['image.valid', 'pullPolicy.explicit', 'admitted'];
const LITERALS = [
  'nginx',
  'docker.io/library/nginx',
  'latest',
  'Always',
  'init',
  'ephemeral',
  '',
  'payments',
  'web',
  'apps',
  'a',
];

/** JSON Logic in the subset the export translates. */
const logic: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    fc.record({ '!': tie('node') }),
    fc.record({ '!!': tie('node') }),
    fc.record({ and: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ or: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ if: fc.array(tie('node'), { minLength: 2, maxLength: 5 }) }),
  ),
  leaf: fc.oneof(
    fc.constantFrom(...[...STRING_FACTS, ...BOOL_FACTS].map((v) => ({ var: v }))),
    fc
      .tuple(
        fc.constantFrom('==', '===', '!=', '!=='),
        fc.constantFrom(...STRING_FACTS),
        fc.constantFrom(...LITERALS, null),
      )
      .map(([op, v, lit]) => ({ [op]: [{ var: v }, lit] })),
    fc
      .tuple(fc.constantFrom('==', '!='), fc.constantFrom(...BOOL_FACTS), fc.boolean())
      .map(([op, v, lit]) => ({ [op]: [lit, { var: v }] })),
    fc
      .tuple(fc.constantFrom(...STRING_FACTS), fc.constantFrom(...STRING_FACTS))
      .map(([a, b]) => ({ '==': [{ var: a }, { var: b }] })),
    fc
      .tuple(fc.constantFrom(...STRING_FACTS), fc.subarray([...LITERALS, null]))
      .map(([v, list]) => ({ in: [{ var: v }, list] })),
    fc
      .tuple(fc.constantFrom(...LITERALS), fc.constantFrom(...STRING_FACTS))
      .map(([lit, v]) => ({ in: [lit, { var: v }] })),
    fc
      .tuple(
        fc.constantFrom(...STRING_FACTS),
        fc.constantFrom('docker.io/library/nginx:latest', 'null', 'apps'),
      )
      .map(([v, s]) => ({ in: [{ var: v }, s] })),
    fc
      .tuple(fc.constantFrom(...STRING_FACTS), fc.constantFrom(...STRING_FACTS))
      .map(([a, b]) => ({ in: [{ var: a }, { var: b }] })),
    fc.constantFrom(true, false, null, 0, 1, '', 'x'),
  ),
})).node;

describe('expression rules in CEL', () => {
  it('judge as the engine judges their JSON Logic, for every expression of the translated subset', async () => {
    await fc.assert(
      fc.asyncProperty(
        logic,
        fc.array(fc.tuple(workload, fc.constantFrom(...NAMESPACES)), { minLength: 3, maxLength: 3 }),
        async (when, cases) => {
          const setup = setUp(documents(when), NOW);
          expect(setup.exported.notExported).toEqual([]);
          for (const [object, namespace] of cases) await compare(setup, object, namespace);
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);

  it.each([
    [{ '<': [{ var: 'image.path' }, 'm'] }, 'the operator "<"'],
    [{ cat: ['a', { var: 'image.tag' }] }, 'the operator "cat"'],
    [{ '==': [{ var: 'image.tag' }, 1] }, 'a loose comparison of a string fact with a number or boolean'],
    [{ var: 'image.error' }, 'the fact "image.error" has no CEL counterpart'],
    [{ var: { cat: ['image.', 'tag'] } }, 'a computed or empty `var` path'],
    [{ some: [{ var: 'pod.imagePullSecrets' }, { '==': [{ var: '' }, 'x'] }] }, 'the operator "some"'],
  ])('reports %j as not exported: %s', (when, reason) => {
    const { exported } = setUp(documents(when), NOW);
    expect(exported.notExported).toEqual([
      {
        policy: 'expr',
        rule: 'e',
        reason: `its \`when\` uses ${reason}, which has no exact CEL translation`,
        severity: 'unexported',
      },
    ]);
  });
});
