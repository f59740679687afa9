import { describe, expect, it } from 'vitest';
import type { RuleDefinition } from '../rule-contract.js';
import {
  engineFor,
  findingsWith as findings,
  checksPlugin as plugin,
  policyUsing,
  webDeployment as web,
} from './__fixtures__/engine-harness.js';

describe('whatever a rule returns, evaluate answers', () => {
  const cases: [string, RuleDefinition['check']][] = [
    [
      'mut/getter-throws',
      () => ({
        get message(): string {
          throw new Error('getter');
        },
      }),
    ],
    [
      'mut/then-throws',
      () =>
        ({
          // biome-ignore lint/suspicious/noThenProperty: a hostile thenable is the point of this test
          then() {
            throw new Error('then');
          },
        }) as never,
    ],
    [
      'mut/then-getter-throws',
      () =>
        ({
          // biome-ignore lint/suspicious/noThenProperty: a hostile thenable is the point of this test
          get then() {
            throw new Error('then getter');
          },
        }) as never,
    ],
    // biome-ignore lint/suspicious/noThenProperty: a thenable that never settles
    ['mut/never-settles', () => ({ then() {} }) as never],
    ['mut/garbage-list', () => [{ message: 'ok' }, null, 42, { message: 7 }] as never],
    ['mut/bad-notes', () => ({ message: 'x', notes: 'not a list' }) as never],
    ['mut/bad-fix', () => ({ message: 'x', fix: { imagePullPolicy: 'Sometimes' } }) as never],
    [
      'mut/resolves-to-hostile',
      async () => ({
        get message(): string {
          throw new Error('late getter');
        },
      }),
    ],
  ];

  it('reports each misbehaviour as an error finding of that rule, and the other rules still run', async () => {
    const hostile = plugin(...cases);
    const rows = await findings(hostile, [...cases.map(([id]) => id), 'require-digest']);
    expect(rows).toEqual([
      ['mut/bad-fix', 'error', 'RULE_ERROR'],
      ['mut/bad-notes', 'error', 'RULE_ERROR'],
      ['mut/garbage-list', 'error', 'RULE_ERROR'],
      ['mut/getter-throws', 'error', 'RULE_ERROR'],
      ['mut/never-settles', 'error', 'RULE_TIMEOUT'],
      ['mut/resolves-to-hostile', 'error', 'RULE_ERROR'],
      ['mut/then-getter-throws', 'error', 'RULE_ERROR'],
      ['mut/then-throws', 'error', 'RULE_ERROR'],
      ['require-digest', 'violation', expect.stringContaining('nginx:1.27')],
    ]);
  });

  it('reads a violation once: a getter cannot show one message to the check and another to the report', async () => {
    let reads = 0;
    const shifty = plugin([
      'mut/shifty',
      () => ({
        get message() {
          reads++;
          return reads === 1 ? 'first' : 'second';
        },
      }),
    ]);
    const engine = engineFor(policyUsing(['mut/shifty']), { plugins: [shifty] });
    const report = await engine.evaluateText(web);
    expect(report.findings.map((f) => f.message)).toEqual(['first']);
    expect(reads).toBe(1);
  });
});
