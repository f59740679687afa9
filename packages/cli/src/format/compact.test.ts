import { describe, expect, it } from 'vitest';
import { context, finding, sampleResult } from './__fixtures__/sample-result.js';
import { buildCheckResult } from './check-result.js';
import { formatCompact } from './compact.js';

describe('compact', () => {
  it('prints one line per finding: file:line:col action rule image message', () => {
    expect(formatCompact(sampleResult(), context).split('\n')).toEqual([
      'k8s/web.yaml:12:18 deny disallow-latest nginx:latest nginx:latest uses the tag "latest"',
      'k8s/web.yaml:12:18 warn require-explicit-pull-policy nginx:latest imagePullPolicy is not set: the API server defaults it to Always',
      // An active exemption reads `exempt`, as in the table; a message on several lines is one line.
      'k8s/debug pod.yaml:3:5 exempt disallow-latest busybox busybox has no tag: 100% latest second line',
      '',
    ]);
  });

  it('says `error` for a rule that failed, and prints nothing without findings', () => {
    const failed = finding({ status: 'error', message: 'RULE_TIMEOUT the rule did not answer' });
    const result = sampleResult();
    expect(formatCompact({ ...result, report: { ...result.report, findings: [failed] } }, context)).toBe(
      'k8s/web.yaml:12:18 error disallow-latest nginx:latest RULE_TIMEOUT the rule did not answer\n',
    );
    const none = buildCheckResult({ ...result, report: { ...result.report, findings: [] } }, undefined);
    expect(formatCompact(none, context)).toBe('');
  });
});
