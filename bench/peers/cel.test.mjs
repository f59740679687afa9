import { describe, expect, it } from 'vitest';
import { compileVap } from './cel.mjs';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const evaluate = compileVap();

/** The rules a one-container Pod fails under the VAP. */
function failing(image, imagePullPolicy) {
  const container = { name: 'c', image, ...(imagePullPolicy ? { imagePullPolicy } : {}) };
  const { verdicts } = evaluate({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [container] },
  });
  return Object.keys(verdicts).filter((rule) => verdicts[rule] !== 'pass');
}

describe('the bench policy as a ValidatingAdmissionPolicy (CEL)', () => {
  it('passes an allowed image pinned by digest with an explicit policy', () => {
    expect(failing(`registry.acme.io/team/app@${DIGEST}`, 'IfNotPresent')).toEqual([]);
  });

  it('reads a registry port as a port, not as a tag: registry:5000/app is untagged', () => {
    expect(failing('registry.acme.io:5000/platform/gw', 'Always')).toEqual([
      'require-digest',
      'disallow-latest',
    ]);
    expect(failing('registry.acme.io:5000/platform/gw:1.2', 'Always')).toEqual(['require-digest']);
  });

  it('counts the docker CLI short forms as docker.io/library/', () => {
    for (const image of [
      'nginx:1.25',
      'library/nginx:1.25',
      'docker.io/nginx:1.25',
      'index.docker.io/library/nginx:1.25',
    ]) {
      expect(failing(image, 'Always')).toEqual(['require-digest']);
    }
    expect(failing('bitnami/redis:7', 'Always')).toEqual(['require-digest', 'allowed-registries']);
  });

  it('matches registry prefixes at component boundaries', () => {
    expect(failing('registry.acme.io.evil.com/team/app:1', 'Always')).toContain('allowed-registries');
    expect(failing('ghcr.io/acme-evil/tools:1', 'Always')).toContain('allowed-registries');
    expect(failing('registry.acme.io:5001/platform/gw:1', 'Always')).toContain('allowed-registries');
  });

  it('lets the digest decide for name:latest@digest, and pulls untagged images Always by default', () => {
    expect(failing(`nginx:latest@${DIGEST}`, 'IfNotPresent')).toEqual([]);
    expect(failing('nginx')).toEqual(['require-digest', 'disallow-latest', 'require-explicit-pull-policy']);
  });

  it('judges an invalid pull policy as unset for mutable-tags-require-always', () => {
    expect(failing('nginx:latest', 'Sometimes')).toEqual([
      'require-digest',
      'disallow-latest',
      'require-explicit-pull-policy',
    ]);
    expect(failing('nginx:1.25', 'Sometimes')).toEqual([
      'require-digest',
      'require-explicit-pull-policy',
      'mutable-tags-require-always',
    ]);
  });

  it('fails references that do not parse (kubelet: InvalidImageName)', () => {
    for (const image of [
      '<image_url>',
      'ko://knative.dev/serving/cmd/activator',
      'NGINX:1',
      `nginx@sha256:${'a'.repeat(10)}`,
    ]) {
      expect(failing(image, 'Always')).toContain('invalid-image');
    }
  });

  it('matches older API versions of the same resource (matchPolicy: Equivalent)', () => {
    const template = { spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    expect(
      evaluate({ apiVersion: 'extensions/v1beta1', kind: 'DaemonSet', spec: { template } }).matched,
    ).toBe(true);
    expect(
      evaluate({
        apiVersion: 'batch/v1beta1',
        kind: 'CronJob',
        spec: { jobTemplate: { spec: { template } } },
      }).matched,
    ).toBe(true);
    expect(evaluate({ apiVersion: 'v1', kind: 'ConfigMap' }).matched).toBe(false);
  });

  it('checks every image of the pod: init containers, ephemeral containers and image volumes', () => {
    const spec = {
      containers: [{ name: 'c', image: `nginx@${DIGEST}`, imagePullPolicy: 'Always' }],
      initContainers: [{ name: 'i', image: `nginx@${DIGEST}`, imagePullPolicy: 'Always' }],
      volumes: [{ name: 'v', image: { reference: 'quay.io/models/m:1', pullPolicy: 'IfNotPresent' } }],
    };
    const { verdicts } = evaluate({ apiVersion: 'v1', kind: 'Pod', spec });
    expect(verdicts['allowed-registries']).toBe('fail');
    expect(verdicts['mutable-tags-require-always']).toBe('fail');
  });

  it('passes an object without a spec (a Kustomize delete stub) instead of erroring', () => {
    expect(
      evaluate({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', $patch: 'delete' } })
        .verdicts,
    ).toEqual(expect.objectContaining({ 'require-digest': 'pass' }));
  });
});
