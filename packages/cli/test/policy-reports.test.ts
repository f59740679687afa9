/**
 * The documented audit of a running cluster, end to end: what `kubectl get … -A -o json` prints,
 * piped into `pullguard check - --format policyreport` (and `drift`), gives reports `kubectl apply`
 * accepts — checked against the published CRD schemas.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { fixture, REPO_ROOT, runCli } from './helpers.js';
import { describeWithReportSchemas, reportSchemaErrors } from './report-schemas.js';

// biome-ignore lint/suspicious/noExplicitAny: report objects read back from YAML
type Obj = any;

const POLICY = ['--policy', join(REPO_ROOT, 'examples', 'policies')];
const LABELS = ['--namespaces-file', join(REPO_ROOT, 'examples', 'manifests', 'namespaces.yaml')];
const FIXTURES = ['--registry-fixtures', fixture('registry', 'fixtures.yaml')];

/** A List as `kubectl get pods,deployments -A -o json` prints it: uids, namespaces, defaults applied. */
const CLUSTER = JSON.stringify({
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'storefront', namespace: 'prod-a', uid: '0d5a3a52-1111-4a0e-9a59-000000000001' },
      spec: {
        selector: { matchLabels: { app: 'storefront' } },
        template: {
          metadata: { labels: { app: 'storefront' } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent' }] },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'api', namespace: 'team-payments', uid: '0d5a3a52-2222-4a0e-9a59-000000000002' },
      spec: {
        containers: [
          {
            name: 'api',
            image: `registry.acme.io/payments/api@sha256:${'c'.repeat(64)}`,
            imagePullPolicy: 'IfNotPresent',
          },
        ],
      },
    },
  ],
});

const reportsOf = (yaml: string): Obj[] => parseAllDocuments(yaml).map((d) => d.toJS());

describe('kubectl get … -o json | pullguard check - --format policyreport', () => {
  it('writes one report per namespace, the workloads named with their uid; the exit code still follows the verdict', async () => {
    const run = await runCli(['check', '-', ...POLICY, ...LABELS, '--format', 'policyreport'], {
      input: CLUSTER,
    });
    expect(run.code).toBe(1);
    const reports = reportsOf(run.stdout);
    expect(reports.map((r) => `${r.kind} ${r.metadata.namespace}/${r.metadata.name}`)).toEqual([
      'PolicyReport prod-a/pullguard',
      'PolicyReport team-payments/pullguard',
    ]);
    const [prod, payments] = reports;
    const fail = prod.results.find((r: Obj) => r.rule === 'require-digest');
    expect(fail).toMatchObject({
      policy: 'production',
      result: 'fail',
      resources: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'storefront',
          namespace: 'prod-a',
          uid: '0d5a3a52-1111-4a0e-9a59-000000000001',
        },
      ],
      properties: { image: 'nginx:1.27', pullPolicy: 'IfNotPresent', container: 'web' },
    });
    expect(prod.summary.fail).toBeGreaterThan(0);
    // Governed by tenant-payments through its label (from the namespaces file), and clean.
    expect(payments.summary).toMatchObject({ fail: 0, error: 0 });
    expect(payments.results.map((r: Obj) => `${r.policy}/${r.rule} ${r.result}`)).toContain(
      'tenant-payments/allowed-registries pass',
    );
    expect(payments.results[0].resources[0].uid).toBe('0d5a3a52-2222-4a0e-9a59-000000000002');
  });

  it('--format openreports writes openreports.io Reports with the same results', async () => {
    const args = ['check', '-', ...POLICY, ...LABELS];
    const open = reportsOf((await runCli([...args, '--format', 'openreports'], { input: CLUSTER })).stdout);
    const wg = reportsOf((await runCli([...args, '--format', 'policyreport'], { input: CLUSTER })).stdout);
    expect(open.map((r) => [r.apiVersion, r.kind, r.source])).toEqual([
      ['openreports.io/v1alpha1', 'Report', 'pullguard'],
      ['openreports.io/v1alpha1', 'Report', 'pullguard'],
    ]);
    const strip = (results: Obj[]) => results.map(({ timestamp: _, ...rest }: Obj) => rest);
    expect(strip(open.flatMap((r) => r.results))).toEqual(strip(wg.flatMap((r) => r.results)));
  });
});

describe('pullguard drift --format policyreport', () => {
  it('reports drifted as fail, current and pinned as pass, an image ID as skip', async () => {
    const run = await runCli([
      'drift',
      ...FIXTURES,
      '--format',
      'policyreport',
      fixture('registry', 'pods.json'),
    ]);
    expect(run.code).toBe(1);
    const [report] = reportsOf(run.stdout);
    expect(report.metadata).toMatchObject({ name: 'pullguard-drift', namespace: 'shop' });
    const byContainer = Object.fromEntries(
      report.results.map((r: Obj) => [`${r.resources[0].name}/${r.properties.container}`, r.result]),
    );
    expect(byContainer).toMatchObject({
      'web-7d9f8-abcde/web': 'fail',
      'web-7d9f8-abcde/api': 'pass',
      'web-7d9f8-abcde/cache': 'pass',
      'web-7d9f8-abcde/local': 'skip',
    });
    expect(report.summary).toEqual({ pass: 4, fail: 1, warn: 0, error: 0, skip: 1 });
    expect(report.results[0]).toMatchObject({
      policy: 'pullguard-drift',
      rule: 'tag-unmoved',
      category: 'Drift',
    });
  });

  it('reports a container whose registry could not be asked as error, with the Pod uid', async () => {
    const pod = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'tools', namespace: 'ops', uid: '0d5a3a52-3333-4a0e-9a59-000000000003' },
      spec: { containers: [{ name: 'tools', image: 'private.acme.io/tools:3' }] },
      status: {
        containerStatuses: [{ name: 'tools', imageID: `private.acme.io/tools@sha256:${'d'.repeat(64)}` }],
      },
    });
    const run = await runCli(['drift', ...FIXTURES, '--format', 'openreports', '-'], { input: pod });
    expect(run.code).toBe(2);
    const [report] = reportsOf(run.stdout);
    expect(report.kind).toBe('Report');
    expect(report.results[0]).toMatchObject({
      result: 'error',
      resources: [
        { kind: 'Pod', name: 'tools', namespace: 'ops', uid: '0d5a3a52-3333-4a0e-9a59-000000000003' },
      ],
    });
  });
});

describeWithReportSchemas('audit output against the published CRD schemas', () => {
  it('check and drift reports, both APIs, validate', async () => {
    const outputs = await Promise.all([
      runCli(['check', '-', ...POLICY, ...LABELS, '--format', 'policyreport'], { input: CLUSTER }),
      runCli(['check', '-', ...POLICY, ...LABELS, '--format', 'openreports'], { input: CLUSTER }),
      runCli(['drift', ...FIXTURES, '--format', 'policyreport', fixture('registry', 'pods.json')]),
      runCli(['drift', ...FIXTURES, '--format', 'openreports', fixture('registry', 'pods.json')]),
    ]);
    for (const output of outputs) {
      const reports = reportsOf(output.stdout);
      expect(reports.length).toBeGreaterThan(0);
      for (const report of reports) expect(reportSchemaErrors(report), report.kind).toEqual([]);
    }
  });
});
