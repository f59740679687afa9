import { describe, expect, it } from 'vitest';
import { context, sampleResult } from './__fixtures__/sample-result.js';
import { formatJson } from './json.js';

describe('json report', () => {
  const out = JSON.parse(formatJson(sampleResult(), context));

  it('has the documented top-level keys', () => {
    expect(Object.keys(out)).toEqual([
      'version',
      'verdict',
      'failOn',
      'blocking',
      'findings',
      'errors',
      'warnings',
      'summary',
      'policyFingerprint',
    ]);
    expect(out.version).toBe(1);
  });

  it('writes every finding key, with null for absent values and paths relative to the working directory', () => {
    expect(out.findings[2]).toEqual({
      rule: 'disallow-latest',
      policy: 'baseline',
      action: 'deny',
      status: 'violation',
      blocking: false,
      message: 'busybox has no tag: 100% latest\nsecond line',
      hint: 'Use a version tag.',
      namespace: 'shop',
      workload: { apiVersion: 'v1', kind: 'Pod', name: 'debug, "odd" <name>' },
      container: { name: 'sh', type: 'init' },
      image: { raw: 'busybox', name: null, tag: null, digest: null },
      pullPolicy: { declared: null, effective: 'Always' },
      location: { file: 'k8s/debug pod.yaml', line: 3, column: 5 },
      pointer: '/spec/template/spec/containers/0/image',
      exemption: { status: 'active', owner: 'platform', reason: 'legacy', expires: '2099-01-01' },
      fix: null,
    });
  });

  it('counts blocking findings under --fail-on (active exemptions never block)', () => {
    expect(out.blocking).toBe(1);
    expect(JSON.parse(formatJson(sampleResult({ failOn: 'warn' }), context)).blocking).toBe(2);
    expect(JSON.parse(formatJson(sampleResult({ failOn: 'never' }), context)).blocking).toBe(0);
  });

  it('flattens load errors to code, message, file, line, column', () => {
    expect(out.errors).toEqual([
      {
        code: 'YAML_SYNTAX',
        message: 'bad indentation',
        file: 'k8s/broken.yaml',
        line: 4,
        column: 2,
        field: null,
      },
    ]);
  });
});
