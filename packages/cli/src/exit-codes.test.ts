import { PullguardAggregateError, PullguardError } from '@pullguard/engine';
import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeForCategory, exitCodeForRun, UsageError } from './exit-codes.js';
import { exitCodeForError } from './report-error.js';

describe('exit codes', () => {
  it('maps input, policy, internal and usage problems to 2, rule errors to 1', () => {
    expect(['input', 'policy', 'internal', 'usage'].map((c) => exitCodeForCategory(c as 'input'))).toEqual([
      2, 2, 2, 2,
    ]);
    expect(exitCodeForCategory('rule')).toBe(EXIT.blocking);
  });

  it('lets load errors outrank blocking findings', () => {
    expect(exitCodeForRun({ loadErrors: 0, blocking: 0 })).toBe(0);
    expect(exitCodeForRun({ loadErrors: 0, blocking: 3 })).toBe(1);
    expect(exitCodeForRun({ loadErrors: 1, blocking: 3 })).toBe(2);
  });

  it('maps thrown errors through their category', () => {
    expect(exitCodeForError(new UsageError('x'))).toBe(2);
    expect(exitCodeForError(new PullguardError('POLICY_SCHEMA', 'x'))).toBe(2);
    expect(exitCodeForError(new PullguardError('RULE_ERROR', 'x'))).toBe(1);
    const aggregate = new PullguardAggregateError('2 problems', [
      { code: 'RULE_ERROR', message: 'a', severity: 'error' },
      { code: 'CONFIG_INVALID', message: 'b', severity: 'error' },
    ]);
    expect(exitCodeForError(aggregate)).toBe(2);
    expect(exitCodeForError(new TypeError('bug'))).toBe(2);
  });
});
