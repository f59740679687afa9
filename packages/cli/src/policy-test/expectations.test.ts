import { describe, expect, it } from 'vitest';
import { finding } from '../format/__fixtures__/sample-result.js';
import { compareFindings, compareMutations } from './expectations.js';

describe('comparing expected and actual findings', () => {
  const actual = [finding(), finding({ rule: 'require-digest', action: 'warn' })];

  it('passes when every expectation matches a different finding and none is left over, in any order', () => {
    const result = compareFindings(
      [
        { rule: 'require-digest' },
        { rule: 'disallow-latest', workload: 'Deployment/web', container: 'web', action: 'deny' },
      ],
      actual,
    );
    expect(result).toEqual({
      pass: true,
      diff: ['  * require-digest * container *', '  deny disallow-latest Deployment/web container web'],
    });
  });

  it('fails on a missing and on an unexpected finding, showing both', () => {
    const result = compareFindings([{ rule: 'require-digest', action: 'deny' }], actual);
    expect(result.pass).toBe(false);
    expect(result.diff).toEqual([
      '- deny require-digest * container *',
      '+ deny disallow-latest Deployment/web container web policy baseline image nginx:latest',
      '+ warn require-digest Deployment/web container web policy baseline image nginx:latest',
    ]);
  });

  it('treats an empty expectation list as "no findings"', () => {
    expect(compareFindings([], []).pass).toBe(true);
    expect(compareFindings([], actual).pass).toBe(false);
  });
});

describe('comparing expected and actual mutations', () => {
  const pin = finding({ rule: 'require-digest' });
  const fix = {
    pointer: '/spec/containers/0/image',
    field: 'image' as const,
    value: 'nginx:1.25@sha256:1',
    objectIndex: 0,
    location: undefined,
    rule: 'require-digest',
    policy: 'baseline',
    reason: 'pin',
  };

  it('matches field and value, and workload and container when written', () => {
    expect(
      compareMutations(
        [{ field: 'image', value: 'nginx:1.25@sha256:1', workload: 'Deployment/web', container: 'web' }],
        [{ fix, finding: pin }],
      ),
    ).toEqual({ pass: true, diff: ['  set image nginx:1.25@sha256:1 Deployment/web container web'] });
    expect(
      compareMutations([{ field: 'image', value: 'nginx:1.25@sha256:2' }], [{ fix, finding: pin }]),
    ).toEqual({
      pass: false,
      diff: [
        '- set image nginx:1.25@sha256:2 * container *',
        '+ set image nginx:1.25@sha256:1 Deployment/web container web (require-digest)',
      ],
    });
  });
});
