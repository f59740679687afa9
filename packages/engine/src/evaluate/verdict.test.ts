import { describe, expect, it } from 'vitest';
import {
  checksPlugin,
  deployment,
  digestPolicy,
  engineFor,
  policyUsing,
} from './__fixtures__/engine-harness.js';

const registries = `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: registries }
spec:
  namespaces: ["*"]
  rules:
    - rule: allowed-registries
      with: { registries: [registry.acme.io/] }
`;

const binaryImagePod = `apiVersion: v1
kind: Pod
metadata: { name: p, namespace: prod }
spec:
  containers:
    - name: app
      image: !!binary ZXZpbC5jb20veDox
`;

const unreadable =
  'apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec: {containers: [{name: a, image: [}\n';

describe('the verdict', () => {
  it('judges a !!binary image as the text kubectl would send (evil.com/x:1), not as an unreadable pass', async () => {
    const report = await engineFor(registries).evaluateText(binaryImagePod, { file: 'pod.yaml' });
    expect(report.errors).toEqual([]);
    expect(report.findings.map((f) => [f.rule, f.image.raw])).toEqual([
      ['allowed-registries', 'evil.com/x:1'],
    ]);
    expect(report.verdict).toBe('fail');
  });

  it('is `error` when any input could not be read, even if nothing else is wrong', async () => {
    const report = await engineFor(registries).evaluateText(
      `${deployment('web', 'prod', [{ image: 'registry.acme.io/web:1' }])}---\n${unreadable}`,
    );
    expect(report.findings).toEqual([]);
    expect(report.errors.map((e) => e.code)).toEqual(['YAML_SYNTAX']);
    expect(report.verdict).toBe('error');
  });

  it('is `error` over `fail`: the deny findings of what was read are still reported', async () => {
    const report = await engineFor(registries).evaluateText(
      `${deployment('web', 'prod', [{ image: 'evil.com/web:1' }])}---\n${unreadable}`,
    );
    expect(report.findings.map((f) => [f.rule, f.action])).toEqual([['allowed-registries', 'deny']]);
    expect(report.verdict).toBe('error');
  });

  it('is `error` for objects given as data too (a field of the wrong type)', async () => {
    const report = await engineFor(registries).evaluateObjects([
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: { containers: [{ name: 'a', image: 7 }] },
      },
    ]);
    expect(report.errors.map((e) => e.code)).toEqual(['INVALID_FIELD']);
    expect(report.verdict).toBe('error');
  });

  it('is not changed by warnings (a duplicate key whose last value is used)', async () => {
    const text = deployment('web', 'prod', [{ image: 'registry.acme.io/web:1' }]).replace(
      'kind: Deployment',
      'kind: Deployment\nkind: Deployment',
    );
    const report = await engineFor(registries).evaluateText(text);
    expect(report.warnings.map((w) => w.code)).toEqual(['YAML_SYNTAX']);
    expect(report.verdict).toBe('pass');
  });

  it('treats a rule that throws as a finding of its action, not as an input error', async () => {
    const throws = checksPlugin(['mut/throws', () => Promise.reject(new Error('boom'))]);
    const warn = engineFor(
      policyUsing(['mut/throws']).replace('namespaces: ["*"]', 'namespaces: ["*"]\n  action: warn'),
      {
        plugins: [throws],
      },
    );
    const warned = await warn.evaluateText(deployment('web', 'prod', [{ image: 'nginx:1' }]));
    expect(warned.findings.map((f) => [f.rule, f.status, f.action])).toEqual([
      ['mut/throws', 'error', 'warn'],
    ]);
    expect(warned.verdict).toBe('pass');
    const deny = engineFor(policyUsing(['mut/throws']), { plugins: [throws] });
    expect((await deny.evaluateText(deployment('web', 'prod', [{ image: 'nginx:1' }]))).verdict).toBe('fail');
    // Input errors still outrank: the run read less than it was given.
    expect((await engineFor(digestPolicy()).evaluateText(unreadable)).verdict).toBe('error');
  });
});
