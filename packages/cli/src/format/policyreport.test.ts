import type { Finding } from '@pullguard/engine';
import { builtinRules } from '@pullguard/engine/internals';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { describeWithReportSchemas, reportSchemaErrors } from '../../test/report-schemas.js';
import { context, finding, sampleResult } from './__fixtures__/sample-result.js';
import { buildCheckResult } from './check-result.js';
import { formatOpenReports } from './openreports.js';
import { formatPolicyReport } from './policyreport.js';
import { BUILTIN_CATEGORIES } from './policyreport-check.js';
import { REPORT_MAX_BYTES } from './policyreport-reports.js';

// biome-ignore lint/suspicious/noExplicitAny: report objects read back from YAML
type Obj = any;

const reportsOf = (yaml: string): Obj[] => parseAllDocuments(yaml).map((d) => d.toJS());
const resultsOf = (reports: Obj[]): Obj[] => reports.flatMap((r) => r.results);
/** The sample's Deployment, as results name it. */
const WEB = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  name: 'web',
  namespace: 'shop',
  uid: '6f1e2b1a-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
};
const find = (results: Obj[], rule: string, result: string) =>
  results.filter((r) => r.rule === rule && r.result === result);

describe('--format policyreport', () => {
  const reports = reportsOf(formatPolicyReport(sampleResult(), context));

  it('writes a PolicyReport per namespace, scoped to it, and a ClusterPolicyReport for what has no namespace', () => {
    expect(reports.map((r) => [r.apiVersion, r.kind, r.metadata.name, r.metadata.namespace])).toEqual([
      ['wgpolicyk8s.io/v1alpha2', 'PolicyReport', 'pullguard', 'shop'],
      ['wgpolicyk8s.io/v1alpha2', 'ClusterPolicyReport', 'pullguard', undefined],
    ]);
    expect(reports[0].scope).toEqual({ apiVersion: 'v1', kind: 'Namespace', name: 'shop' });
    expect(reports[0].metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'pullguard',
      'pullguard.dev/report': 'check',
    });
  });

  it('maps blocking findings to fail, others to warn, exempted ones to skip, unread inputs to error', () => {
    const results = resultsOf(reports);
    expect(find(results, 'disallow-latest', 'fail')).toHaveLength(1);
    expect(find(results, 'require-explicit-pull-policy', 'warn')).toHaveLength(1);
    const [skipped] = find(results, 'disallow-latest', 'skip');
    expect(skipped.properties).toMatchObject({
      exemption: 'active',
      exemptionOwner: 'platform',
      exemptionReason: 'legacy',
    });
    const [error] = find(results, 'YAML_SYNTAX', 'error');
    expect(error).toMatchObject({ policy: 'pullguard', message: 'k8s/broken.yaml:4:2: bad indentation' });
    expect(reports[1].results).toEqual([error]);
  });

  it('passes a governing rule that found nothing on a workload', () => {
    const [pass] = find(resultsOf(reports), 'mutable-tags-require-always', 'pass');
    expect(pass).toMatchObject({
      policy: 'baseline',
      severity: 'high',
      category: 'Pull policy',
      resources: [WEB],
    });
    expect(find(resultsOf(reports), 'disallow-latest', 'pass')).toEqual([]);
  });

  it('describes each finding: policy, rule, severity, category, source, message, workload, image facts, timestamp', () => {
    const [fail] = find(resultsOf(reports), 'disallow-latest', 'fail');
    expect(fail).toEqual({
      policy: 'baseline',
      rule: 'disallow-latest',
      result: 'fail',
      severity: 'high',
      category: 'Image references',
      message: 'nginx:latest uses the tag "latest" Use a version tag.',
      resources: [WEB],
      properties: {
        container: 'web',
        containerType: 'container',
        image: 'nginx:latest',
        pullPolicy: 'Always',
        pullPolicyDefaulted: 'true',
        action: 'deny',
        location: 'k8s/web.yaml:12:18',
      },
      source: 'pullguard',
      timestamp: { seconds: 1780315200, nanos: 250_000_000 },
    });
  });

  it('counts the results of each report in its summary', () => {
    expect(reports[0].summary).toEqual({ pass: 1, fail: 1, warn: 1, error: 0, skip: 1 });
    expect(reports[1].summary).toEqual({ pass: 0, fail: 0, warn: 0, error: 1, skip: 0 });
  });

  it('reports a rule that failed as error, with the digest it judged', () => {
    const result = sampleResult();
    result.report.findings.push(
      finding({
        rule: 'acme/no-busybox',
        status: 'error',
        image: { raw: 'busybox@sha256:abc', digest: 'sha256:abc' },
      }),
    );
    const [error] = find(
      resultsOf(reportsOf(formatPolicyReport(result, context))),
      'acme/no-busybox',
      'error',
    );
    expect(error.category).toBe('Plugin acme');
    expect(error.properties.digest).toBe('sha256:abc');
  });

  it('with --min-action, reports no pass for rules whose findings it would not show', () => {
    const base = sampleResult();
    const narrowed = buildCheckResult({ ...base, report: base.report }, 'deny');
    const results = resultsOf(reportsOf(formatPolicyReport(narrowed, context)));
    expect(results.filter((r) => r.rule === 'require-explicit-pull-policy')).toEqual([]);
    expect(find(results, 'mutable-tags-require-always', 'pass')).toHaveLength(1);
  });

  it('has a category for every built-in rule', () => {
    for (const rule of builtinRules) expect(BUILTIN_CATEGORIES[rule.id], rule.id).toBeDefined();
  });
});

describe('--format openreports', () => {
  const reports = reportsOf(formatOpenReports(sampleResult(), context));

  it('writes openreports.io Reports and a ClusterReport, with the report-level source', () => {
    expect(reports.map((r) => [r.apiVersion, r.kind, r.metadata.namespace, r.source])).toEqual([
      ['openreports.io/v1alpha1', 'Report', 'shop', 'pullguard'],
      ['openreports.io/v1alpha1', 'ClusterReport', undefined, 'pullguard'],
    ]);
    expect(resultsOf(reports)).toEqual(resultsOf(reportsOf(formatPolicyReport(sampleResult(), context))));
  });
});

/** `count` findings in one namespace, each on its own Deployment, with long messages. */
function manyFindings(count: number) {
  const base = sampleResult();
  const findings: Finding[] = Array.from({ length: count }, (_, i) =>
    finding({
      workload: { apiVersion: 'apps/v1', kind: 'Deployment', name: `web-${i}` },
      message: `registry.acme.io/team-${i}/service:1.${i} is not pinned by digest: ${'its tag can move. '.repeat(8)}`,
      image: { raw: `registry.acme.io/team-${i}/service:1.${i}`, tag: `1.${i}` },
      location: { file: `/repo/k8s/web-${i}.yaml`, line: 3, column: 12 },
    }),
  );
  return buildCheckResult(
    { ...base, report: { ...base.report, findings, errors: [] }, workloads: [] },
    undefined,
  );
}

describe('report size', () => {
  const reports = reportsOf(formatPolicyReport(manyFindings(6000), context));

  it('splits a namespace whose report would outgrow one object, every part within the limit', () => {
    expect(reports.length).toBeGreaterThan(5);
    expect(reports.map((r) => r.metadata.name).slice(0, 3)).toEqual([
      'pullguard',
      'pullguard-2',
      'pullguard-3',
    ]);
    for (const report of reports) {
      expect(report.metadata.namespace).toBe('shop');
      expect(Buffer.byteLength(JSON.stringify(report))).toBeLessThanOrEqual(REPORT_MAX_BYTES);
    }
    expect(reports.reduce((n, r) => n + r.summary.fail, 0)).toBe(6000);
    expect(reports.reduce((n, r) => n + r.results.length, 0)).toBe(6000);
  });
});

describeWithReportSchemas('policy reports against the published CRD schemas', () => {
  it('validate, the sample, a rule error and split reports alike, in both APIs', () => {
    const errorResult = sampleResult();
    errorResult.report.findings.push(finding({ rule: 'acme/x', status: 'error' }));
    for (const result of [sampleResult(), errorResult, manyFindings(3000)]) {
      for (const format of [formatPolicyReport, formatOpenReports]) {
        for (const report of reportsOf(format(result, context))) {
          expect(reportSchemaErrors(report), `${report.kind} ${report.metadata.name}`).toEqual([]);
        }
      }
    }
  });

  it('with a validator that refuses what the CRDs do not allow (and fields they would prune)', () => {
    const [report] = reportsOf(formatPolicyReport(sampleResult(), context));
    const wrong = structuredClone(report);
    wrong.results[0].result = 'failed';
    expect(reportSchemaErrors(wrong)).not.toEqual([]);
    const pruned = structuredClone(report);
    pruned.results[0].container = 'web';
    expect(reportSchemaErrors(pruned)).not.toEqual([]);
    const numeric = structuredClone(report);
    numeric.results[0].properties.line = 3;
    expect(reportSchemaErrors(numeric)).not.toEqual([]);
  });
});
