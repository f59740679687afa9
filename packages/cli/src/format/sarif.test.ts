import { describe, expect, it } from 'vitest';
import { sarifSchemaErrors } from '../../test/sarif-schema.js';
import { context, sampleResult } from './__fixtures__/sample-result.js';
import { formatSarif } from './sarif.js';

describe('sarif', () => {
  const log = JSON.parse(formatSarif(sampleResult(), context));
  const run = log.runs[0];

  it('validates against the official SARIF 2.1.0 schema', () => {
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  it('uses a validator that rejects what the schema forbids', () => {
    const broken = structuredClone(log);
    broken.runs[0].results[0].level = 'fatal';
    expect(sarifSchemaErrors(broken)).not.toEqual([]);
  });

  it('describes each rule once, with its help text', () => {
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([
      'disallow-latest',
      'require-explicit-pull-policy',
    ]);
    expect(run.tool.driver.rules[0].help.text).toBe('Use a version tag.');
  });

  it('maps actions to levels and locations to relative URIs with line and column', () => {
    expect(run.results.map((r: { level: string }) => r.level)).toEqual(['error', 'warning', 'error']);
    expect(run.results[2].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'k8s/debug%20pod.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 5 },
    });
    expect(run.results[1].ruleIndex).toBe(1);
  });

  it('reports active exemptions as accepted suppressions', () => {
    expect(run.results[2].suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'legacy; owner: platform' },
    ]);
    expect(run.results[0].suppressions).toBeUndefined();
  });

  it('lists load errors as tool notifications and marks the run unsuccessful', () => {
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.invocations[0].toolExecutionNotifications[0].message.text).toBe('YAML_SYNTAX bad indentation');
  });

  it('describes rules the registry does not list (expression rules) by their finding', () => {
    const result = sampleResult();
    result.report.findings[0] = { ...result.report.findings[0]!, rule: 'no-busybox', hint: undefined };
    const custom = JSON.parse(formatSarif(result, context));
    expect(sarifSchemaErrors(custom)).toEqual([]);
    const rule = custom.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'no-busybox');
    expect(rule.shortDescription.text).toBe('nginx:latest uses the tag "latest"');
  });
});
