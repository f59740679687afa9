/**
 * The example manifests against the example policies and plugins, through the SDK: every good
 * workload passes, every bad one is denied for the reasons its comments give.
 */
import { fileURLToPath } from 'node:url';
import { createEngine, type Finding, loadManifestFiles, loadPolicies, type Report } from '@pullguard/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import mutableTagOwner from '../plugins/mutable-tag-owner.js';
import teamRegistry from '../plugins/team-registry.js';

const path = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const reports = new Map<string, Report>();

beforeAll(async () => {
  const policies = await loadPolicies([path('../policies'), path('../plugins/policy.yaml')]);
  const loaded = [];
  for await (const file of loadManifestFiles([path('.')])) loaded.push(file);
  const namespaceLabels = Object.fromEntries(
    loaded.flatMap((f) => f.namespaces.map((n) => [n.name, n.labels])),
  );
  const engine = createEngine({ policies, plugins: [teamRegistry, mutableTagOwner], namespaceLabels });
  for (const file of loaded) {
    reports.set(file.file?.slice(path('.').length) ?? '', await engine.evaluateLoaded(file));
  }
});

/** `container rule` of the findings that block: deny, not exempted. */
function blocking(findings: readonly Finding[]): string[] {
  const lines = findings
    .filter((f) => f.action === 'deny' && f.exemption?.status !== 'active')
    .map((f) => `${f.container.name} ${f.rule}`);
  return [...new Set(lines)].sort();
}

describe('the example manifests', () => {
  it('cover every place an image can be written, across the example namespaces and kinds', async () => {
    const types = new Set<string>();
    const kinds = new Set<string>();
    const namespaces = new Set<string>();
    for await (const file of loadManifestFiles([path('.')])) {
      for (const image of file.images) {
        types.add(image.container.type);
        kinds.add(image.workload.kind);
        namespaces.add(image.workload.namespace ?? 'default');
      }
    }
    expect([...types].sort()).toEqual(['container', 'ephemeral', 'init', 'sidecar', 'volume']);
    expect([...kinds].sort()).toEqual(['CronJob', 'Deployment', 'Pod', 'StatefulSet']);
    expect([...namespaces].sort()).toEqual(['default', 'dev-x', 'prod-a', 'team-payments']);
  });

  it.each([
    'good/default-model-server.yaml',
    'good/dev-x-tools.yaml',
    'good/prod-a-web.yaml',
    'good/team-payments-api.yaml',
  ])('%s passes every policy without a finding', (file) => {
    const report = reports.get(file);
    expect(report?.errors).toEqual([]);
    expect(report?.findings).toEqual([]);
    expect(report?.verdict).toBe('pass');
  });

  it('bad/prod-a-latest.yaml: nginx from Docker Hub in production, and a report job on a mutable tag', () => {
    const report = reports.get('bad/prod-a-latest.yaml')!;
    expect(report.verdict).toBe('fail');
    expect(blocking(report.findings)).toEqual([
      'proxy allowed-registries',
      'proxy mutable-tag-owner/annotated',
      'proxy require-digest',
      'proxy team-registry/own-path',
      'report mutable-tag-owner/annotated',
      'report mutable-tags-require-always',
    ]);
    // The report job's missing digest is covered by production's exemption until 2028-03-31.
    const exempt = report.findings.find((f) => f.container.name === 'report' && f.rule === 'require-digest');
    expect(exempt?.exemption).toMatchObject({
      status: 'active',
      owner: 'storefront-team',
      expires: '2028-03-31',
    });
  });

  it("bad/team-payments-foreign.yaml: another team's image and a Docker Hub sidecar in the payments namespace", () => {
    const report = reports.get('bad/team-payments-foreign.yaml')!;
    expect(blocking(report.findings)).toEqual([
      'ledger allowed-registries',
      'ledger team-registry/own-path',
      'metrics allowed-registries',
      'metrics team-registry/own-path',
    ]);
    // The namespace is governed by tenant-payments through its label, not by name.
    expect(
      new Set(report.findings.filter((f) => f.rule === 'allowed-registries').map((f) => f.policy)),
    ).toEqual(new Set(['tenant-payments']));
  });

  it('bad/dev-x-debug.yaml: a leftover busybox:latest debug container and an unowned mutable tag', () => {
    const report = reports.get('bad/dev-x-debug.yaml')!;
    expect(blocking(report.findings)).toEqual([
      'debugger mutable-tag-owner/annotated',
      'debugger team-registry/own-path',
      'shell mutable-tag-owner/annotated',
    ]);
    // Development only warns about :latest and pull policies.
    const warned = report.findings
      .filter((f) => f.action === 'warn')
      .map((f) => `${f.container.name} ${f.rule}`);
    expect(new Set(warned)).toEqual(
      new Set([
        'debugger disallow-latest',
        'debugger require-explicit-pull-policy',
        'shell mutable-tags-require-always',
      ]),
    );
  });
});
