import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { factsFor } from '../__fixtures__/rule-harness.js';
import { compileLogic, LOGIC_LIMITS, LogicError, truthy } from './compile.js';

const facts = factsFor('ghcr.io/acme/api:2.3', {
  imagePullSecrets: ['ghcr'],
  labels: { 'app.kubernetes.io/name': 'api', team: 'payments' },
});
const run = (expression: unknown, data: unknown = facts) => compileLogic(expression).evaluate(data);
const loadError = (expression: unknown): LogicError => {
  try {
    compileLogic(expression);
  } catch (error) {
    if (error instanceof LogicError) return error;
    throw error;
  }
  throw new Error('expected a load error');
};

describe('JSON Logic expressions', () => {
  describe('evaluate like json-logic-js 2.0.5', () => {
    it.each([
      [{ '==': [{ var: 'image.tag' }, '2.3'] }, true],
      [{ '!': { var: 'image.digest' } }, true],
      [{ in: ['acme', { var: 'image.path' }] }, true],
      [{ in: ['ghcr', { var: 'pod.imagePullSecrets' }] }, true],
      [{ and: [{ var: 'image.valid' }, { '===': [{ var: 'pullPolicy.effective' }, 'IfNotPresent'] }] }, true],
      [{ or: [false, 0, ''] }, ''],
      [{ if: [{ var: 'admitted' }, 'a', { var: 'container.type' }, 'b', 'c'] }, 'b'],
      [{ cat: [{ var: 'image.domain' }, '/', { var: 'image.path' }] }, 'ghcr.io/acme/api'],
      [{ substr: ['registry', -4] }, 'stry'],
      [{ substr: ['registry', 1, -2] }, 'egist'],
      [{ '+': ['1', 2, 3.5] }, 6.5],
      [{ '<': [1, 2, 3] }, true],
      [{ '<=': [1, 1] }, true],
      [{ max: [1, 5, 3] }, 5],
      [{ merge: [[1], 2, [3]] }, [1, 2, 3]],
      [{ some: [{ var: 'pod.imagePullSecrets' }, { '==': [{ var: '' }, 'ghcr'] }] }, true],
      [{ all: [[], true] }, false],
      [{ none: [[], true] }, true],
      [{ filter: [[1, 2, 3], { '>': [{ var: '' }, 1] }] }, [2, 3]],
      [{ map: [[1, 2], { '*': [{ var: '' }, 2] }] }, [2, 4]],
      [{ reduce: [[1, 2, 3], { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] }, 6],
      [{ missing: ['image.digest', 'image.tag'] }, ['image.digest']],
      [{ missing_some: [1, ['image.digest', 'image.tag']] }, []],
      [{ '!!': [[]] }, false],
    ])('%j → %j', (expression, expected) => {
      expect(run(expression)).toEqual(expected);
      // The same answer as the library itself, on plain data.
      expect(jsonLogic.apply(expression as never, JSON.parse(JSON.stringify(facts)))).toEqual(expected);
    });

    it('reads label keys that contain dots (the rest of the path is the key)', () => {
      expect(run({ var: 'workload.labels.app.kubernetes.io/name' })).toBe('api');
      expect(run({ var: ['workload.labels.missing', 'none'] })).toBe('none');
    });
  });

  describe('are safe by construction', () => {
    it('never returns inherited properties, even through computed paths', () => {
      expect(run({ var: { cat: ['__pro', 'to__'] } })).toBeNull();
      expect(run({ var: { cat: ['image.', 'constructor'] } })).toBeNull();
      expect(run({ var: { cat: ['to', 'String'] } })).toBeNull();
      expect(run({ map: [[{ var: 'image' }], { var: 'constructor' }] })).toEqual([null]);
      expect(run({ map: [[{ var: 'image' }], { var: '__proto__' }] })).toEqual([null]);
      expect(run({ map: [['a'], { var: 'length' }] })).toEqual([null]);
    });

    it('rejects literal paths that name no fact, prototype names included', () => {
      expect(loadError({ var: '__proto__' }).message).toMatch(/"__proto__" names no fact/);
      expect(loadError({ var: 'image.constructor' }).message).toMatch(/"image.constructor" names no fact/);
      expect(loadError({ var: 'toString' }).message).toMatch(/"toString" names no fact/);
      expect(loadError({ var: 'image.tga' }).message).toBe(
        '"image.tga" names no fact: image has raw, valid, error, name, domain, path, tag, digest, familiar',
      );
    });

    it('knows no log, no method calls and no operator added to json-logic-js', () => {
      jsonLogic.add_operation('leaked', () => true);
      try {
        expect(loadError({ leaked: [] }).message).toMatch(/^unknown operator "leaked"/);
      } finally {
        jsonLogic.rm_operation('leaked');
      }
      expect(loadError({ log: 'x' }).message).toMatch(/unknown operator "log" \(log is removed/);
      expect(loadError({ 'Math.max': [1, 2] }).message).toMatch(/method calls are not supported/);
    });

    it('points at the offending node', () => {
      expect(loadError({ and: [true, { or: [{ nope: 1 }] }] }).path).toBe('and[1].or[0].nope');
      expect(loadError({ '==': [1] }).message).toBe('"==" takes 2 arguments, not 1');
      expect(loadError({ a: 1, b: 2 }).message).toMatch(/exactly one key/);
    });

    it('bounds depth and size at load', () => {
      let deep: unknown = true;
      for (let i = 0; i < LOGIC_LIMITS.maxDepth + 2; i++) deep = { '!': [deep] };
      expect(loadError(deep).message).toMatch(/nests deeper than/);
      expect(loadError({ merge: Array.from({ length: LOGIC_LIMITS.maxNodes }, () => [1]) }).message).toMatch(
        /more than \d+ nodes/,
      );
    });

    it('bounds the work of one evaluation', () => {
      const many = Array.from({ length: 200 }, (_, i) => i);
      const nested = { map: [many, { map: [many, { var: '' }] }] };
      // the inner list is a literal, so the inner map runs in item scope over a constant
      expect(() => run(nested)).toThrow(/loop iterations/);
      const doubling = { reduce: [many, { cat: [{ var: 'accumulator' }, { var: 'accumulator' }] }, 'xx'] };
      expect(() => run(doubling)).toThrow(/string longer than/);
    });
  });

  describe('know which facts they read', () => {
    it('lists the groups named by literal paths', () => {
      expect(
        compileLogic({ and: [{ var: 'image.tag' }, { in: ['x', { var: 'namespace.labels.team' }] }] }).reads,
      ).toEqual(['image', 'namespace']);
    });

    it('reads everything when a path is computed or the whole data is used', () => {
      expect(compileLogic({ var: { cat: ['image', '.tag'] } }).reads).toBeUndefined();
      expect(compileLogic({ var: '' }).reads).toBeUndefined();
    });

    it('does not count paths inside map/filter bodies as facts', () => {
      expect(
        compileLogic({ some: [{ var: 'pod.imagePullSecrets' }, { '==': [{ var: 'name' }, 'x'] }] }).reads,
      ).toEqual(['pod']);
    });
  });
});

describe('truthiness', () => {
  it('is json-logic-js’s: JavaScript’s, except that an empty array is false', () => {
    const values = [[], [0], {}, '', '0', 0, 1, Number.NaN, null, undefined, true, false];
    expect(values.map(truthy)).toEqual(values.map((value) => jsonLogic.truthy(value)));
  });
});
