import { AssertionError } from 'node:assert';
import type { Finding } from '@pullguard/engine';
import { describe, expect, it } from 'vitest';
import { expectFindings } from './expect-findings.js';

function finding(container: string, rule: string, message: string): Finding {
  return {
    rule,
    policy: 'p',
    action: 'deny',
    status: 'violation',
    message,
    namespace: 'prod',
    workload: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    container: { name: container, type: 'container' },
    image: { raw: 'busybox', name: 'docker.io/library/busybox' },
    pullPolicy: { effective: 'Always' },
    pointer: '/spec/template/spec/containers/0/image',
  };
}

const app = finding('app', 'acme/no-busybox', 'busybox is not allowed');
const sidecar = finding('proxy', 'acme/other', 'something else');

function thrown(fn: () => void): AssertionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AssertionError) return error;
    throw error;
  }
  throw new Error('expected an AssertionError');
}

describe('expectFindings', () => {
  it('passes when every finding matches its partial expectation, with shorthands and patterns', () => {
    expectFindings([app, sidecar]).toMatch([
      { rule: 'acme/no-busybox', container: 'app', workload: 'Deployment/web', message: /busybox/ },
      { container: { name: 'proxy', type: 'container' }, image: 'busybox' },
    ]);
  });

  it('fails on a missing or an extra finding, saying how many it expected and got', () => {
    expect(thrown(() => expectFindings([app]).toMatch([])).message).toBe('expected 0 finding(s), got 1');
    expect(() => expectFindings([]).toMatch([{ rule: 'acme/no-busybox' }])).toThrow(AssertionError);
  });

  it('shows a diff limited to the fields the expectation names, where matching fields look equal', () => {
    const error = thrown(() => expectFindings([app]).toMatch([{ container: 'app', message: /forbidden/ }]));
    expect(error.message).toBe('finding(s) 1 of 1 do not match');
    expect(error.actual).toEqual([{ container: { name: 'app' }, message: 'busybox is not allowed' }]);
    expect(error.expected).toEqual([{ container: { name: 'app' }, message: '/forbidden/' }]);
  });

  it('toInclude finds each expectation in any order, one finding per expectation', () => {
    expectFindings([app, sidecar]).toInclude([{ container: 'proxy' }, { container: 'app' }]);
    expect(() =>
      expectFindings([app]).toInclude([{ rule: 'acme/no-busybox' }, { rule: 'acme/no-busybox' }]),
    ).toThrow(/1 expected finding\(s\) not found among 1/);
  });

  it('toBeEmpty fails with a summary of the unexpected findings', () => {
    expectFindings([]).toBeEmpty();
    const error = thrown(() => expectFindings([app]).toBeEmpty());
    expect(error.actual).toEqual([
      {
        rule: 'acme/no-busybox',
        status: 'violation',
        message: 'busybox is not allowed',
        container: { name: 'app' },
        image: { raw: 'busybox' },
      },
    ]);
  });

  it('does not read inherited properties of a finding', () => {
    expect(() =>
      expectFindings([app]).toMatch([{ rule: 'acme/no-busybox', toString: undefined } as never]),
    ).not.toThrow();
    expect(() => expectFindings([app]).toMatch([{ constructor: Object } as never])).toThrow(AssertionError);
  });
});
