import { describe, expect, it } from 'vitest';
import { compileGlob, compileWorkloadGlob, NAMESPACE_GLOB } from './glob.js';

const ns = (source: string) => compileGlob(source, NAMESPACE_GLOB);

describe('namespace globs', () => {
  it('"*" matches every namespace', () => {
    const glob = ns('*');
    expect(glob.kind).toBe('all');
    expect(['default', 'kube-system', 'a'].every((n) => glob.matches(n))).toBe(true);
  });

  it('a name without wildcards matches exactly that namespace', () => {
    const glob = ns('payments');
    expect(glob.kind).toBe('exact');
    expect(glob.matches('payments')).toBe(true);
    expect(glob.matches('payments-eu')).toBe(false);
  });

  it('"*" matches any run of characters, also an empty one', () => {
    const glob = ns('prod-*');
    expect(glob).toMatchObject({ kind: 'wildcard', prefix: 'prod-' });
    expect(glob.matches('prod-eu')).toBe(true);
    expect(glob.matches('prod-')).toBe(true);
    expect(glob.matches('prod')).toBe(false);
    expect(ns('*-prod').matches('eu-prod')).toBe(true);
    expect(ns('a*b*c').matches('aXXbYYc')).toBe(true);
    expect(ns('a*b*c').matches('aXXbYY')).toBe(false);
  });

  it('"?" matches exactly one character', () => {
    const glob = ns('team-?');
    expect(glob.matches('team-a')).toBe(true);
    expect(glob.matches('team-')).toBe(false);
    expect(glob.matches('team-ab')).toBe(false);
  });

  it('matches in linear-ish time where a backtracking regex would explode', () => {
    const glob = ns(`${'*a'.repeat(20)}b`);
    expect(glob.matches('a'.repeat(63))).toBe(false);
  });

  it('treats regular-expression characters as errors, not syntax', () => {
    expect(() => ns('prod.*')).toThrow(/contains "\."/);
    expect(() => ns('(a|b)')).toThrow(/POLICY_BAD_GLOB|contains "\("/);
  });

  it('rejects globs that can never match a namespace name', () => {
    expect(() => ns('Prod')).toThrow(/contains "P"/);
    expect(() => ns('prod-')).toThrow(/can never match/);
    expect(() => ns('')).toThrow(/is empty/);
    expect(() => ns('a'.repeat(64))).toThrow(/longer than 63/);
  });

  it('reports the POLICY_BAD_GLOB code', () => {
    expect(() => ns('a_b')).toThrow(expect.objectContaining({ code: 'POLICY_BAD_GLOB' }));
  });
});

describe('workload globs', () => {
  it('match Kind/name with globs on both sides', () => {
    expect(compileWorkloadGlob('Deployment/batch-*').matches('Deployment', 'batch-1')).toBe(true);
    expect(compileWorkloadGlob('Deployment/batch-*').matches('StatefulSet', 'batch-1')).toBe(false);
    expect(compileWorkloadGlob('*/legacy.app').matches('CronJob', 'legacy.app')).toBe(true);
  });

  it('compare kinds case-sensitively', () => {
    expect(compileWorkloadGlob('deployment/*').matches('Deployment', 'x')).toBe(false);
  });

  it('require exactly one "/"', () => {
    expect(() => compileWorkloadGlob('batch-*')).toThrow(/Kind\/name/);
    expect(() => compileWorkloadGlob('a/b/c')).toThrow(/Kind\/name/);
  });
});
