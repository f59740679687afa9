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

  it('maps the error verdict (unread input) to 2, over blocking findings', () => {
    expect(exitCodeForRun({ verdict: 'pass', blocking: 0 })).toBe(0);
    expect(exitCodeForRun({ verdict: 'fail', blocking: 3 })).toBe(1);
    // --fail-on warn: warn findings block although the verdict is pass.
    expect(exitCodeForRun({ verdict: 'pass', blocking: 1 })).toBe(1);
    expect(exitCodeForRun({ verdict: 'error', blocking: 0 })).toBe(2);
    expect(exitCodeForRun({ verdict: 'error', blocking: 3 })).toBe(2);
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
