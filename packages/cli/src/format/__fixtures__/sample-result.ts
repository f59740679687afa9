import type { Finding, Report } from '@pullguard/engine';
import { buildCheckResult, type CheckResult } from '../check-result.js';

const CWD = '/repo';

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    rule: 'disallow-latest',
    policy: 'baseline',
    action: 'deny',
    status: 'violation',
    message: 'nginx:latest uses the tag "latest"',
    hint: 'Use a version tag.',
    namespace: 'shop',
    workload: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    container: { name: 'web', type: 'container' },
    image: { raw: 'nginx:latest', name: 'docker.io/library/nginx', tag: 'latest' },
    pullPolicy: { effective: 'Always' },
    pointer: '/spec/template/spec/containers/0/image',
    location: { file: `${CWD}/k8s/web.yaml`, line: 12, column: 18 },
    ...overrides,
  };
}

export function sampleResult(
  overrides: Partial<Omit<CheckResult, 'blocking' | 'ruleCounts'>> = {},
): CheckResult {
  const findings: Finding[] = [
    finding(),
    finding({
      rule: 'require-explicit-pull-policy',
      action: 'warn',
      message: 'imagePullPolicy is not set: the API server defaults it to Always',
      hint: 'Set imagePullPolicy.',
      fix: {
        pointer: '/spec/template/spec/containers/0/imagePullPolicy',
        field: 'imagePullPolicy',
        value: 'Always',
        objectIndex: 0,
        location: { file: `${CWD}/k8s/web.yaml`, line: 11, column: 13 },
        rule: 'require-explicit-pull-policy',
        policy: 'baseline',
        reason: 'the default',
      },
    }),
    finding({
      rule: 'disallow-latest',
      workload: { apiVersion: 'v1', kind: 'Pod', name: 'debug, "odd" <name>' },
      container: { name: 'sh', type: 'init' },
      image: { raw: 'busybox' },
      message: 'busybox has no tag: 100% latest\nsecond line',
      location: { file: `${CWD}/k8s/debug pod.yaml`, line: 3, column: 5 },
      exemption: { status: 'active', owner: 'platform', reason: 'legacy', expires: '2099-01-01' },
    }),
  ];
  const report: Report = {
    verdict: 'fail',
    findings,
    errors: [
      {
        code: 'YAML_SYNTAX',
        message: 'bad indentation',
        location: { file: `${CWD}/k8s/broken.yaml`, line: 4, column: 2 },
        severity: 'error',
      },
    ],
    warnings: [],
    mutations: [],
    policyFingerprint: 'abc123',
    summary: {
      objects: 3,
      workloads: 2,
      images: 2,
      findings: { deny: 2, warn: 1, audit: 0, exempted: 1, errors: 0 },
      errors: 1,
      cache: { hits: 0, misses: 3 },
    },
  };
  return buildCheckResult(
    {
      report,
      workloads: [
      {
        file: `${CWD}/k8s/web.yaml`,
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'web',
        uid: '6f1e2b1a-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
        namespace: 'shop',
        location: { file: `${CWD}/k8s/web.yaml`, line: 1, column: 1 },
        rules: [
          { policy: 'baseline', id: 'disallow-latest', rule: 'disallow-latest', action: 'deny' },
          { policy: 'baseline', id: 'require-explicit-pull-policy', rule: 'require-explicit-pull-policy', action: 'warn' },
          { policy: 'baseline', id: 'mutable-tags-require-always', rule: 'mutable-tags-require-always', action: 'deny' },
        ],
      },
    ],
    rules: [
      { id: 'disallow-latest', description: 'No latest.', hint: 'Use a version tag.', source: 'builtin', defaultAction: 'deny' },
      {
        id: 'require-explicit-pull-policy',
        description: 'Explicit pull policy.',
        hint: 'Set imagePullPolicy.',
        source: 'builtin',
        defaultAction: 'warn',
      },
    ],
      failOn: 'deny',
      files: 3,
      ...overrides,
    },
    undefined,
  );
}

/** 2026-06-01T12:00:00.250Z: report timestamps come from the context's clock. */
export const context = { cwd: CWD, color: false, version: '0.1.0', clock: { now: () => Date.parse('2026-06-01T12:00:00.250Z') } };
