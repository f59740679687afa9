import { describe, expect, it } from 'vitest';
import { compileVap } from '../peers/cel.mjs';
import { disagreements, policyVerdicts, ruleNames } from './cel.mjs';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const TRICKY = [
  'nginx',
  'nginx:latest',
  `nginx:latest@${DIGEST}`,
  `nginx@${DIGEST}`,
  'library/redis:7',
  'index.docker.io/library/busybox:1.36',
  'docker.io/nginx:1.25',
  'bitnami/redis:7',
  'registry.acme.io:5000/platform/gw',
  `registry.acme.io:5000/platform/gw:1@${DIGEST}`,
  'registry.acme.io.evil.com/team/app:1',
  'ghcr.io/acme-evil/tools:1',
  'localhost:5000/dev/app:1',
  'localhost:5000',
  '<image_url>',
  'ko://knative.dev/serving/cmd/activator',
];
const POLICIES = [undefined, 'Always', 'IfNotPresent', 'Never', 'Sometimes'];

describe('the VAP and pullguard on tricky images', () => {
  it('agree on every image × pull policy, per rule and for the whole policy', async () => {
    const objects = TRICKY.flatMap((image) =>
      POLICIES.map((imagePullPolicy) => ({
        file: 'tricky',
        object: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p', namespace: 'team-1' },
          spec: { containers: [{ name: 'c', image, ...(imagePullPolicy ? { imagePullPolicy } : {}) }] },
        },
      })),
    );
    const evaluate = compileVap();
    const found = await disagreements(objects, evaluate, ruleNames(evaluate));
    expect(found.map((d) => [d.object.spec.containers[0], d.differing])).toEqual([]);
  });
});

describe('policyVerdicts', () => {
  it('fails every single-rule policy of an invalid image, since pullguard always adds invalid-image', () => {
    const rules = ['invalid-image', 'require-digest', 'disallow-latest'];
    expect(policyVerdicts({ 'invalid-image': 'fail' }, rules)).toEqual({
      all: 'fail',
      'require-digest': 'fail',
      'disallow-latest': 'fail',
    });
    expect(policyVerdicts({ 'disallow-latest': 'error' }, rules)).toEqual({
      all: 'fail',
      'require-digest': 'pass',
      'disallow-latest': 'fail',
    });
  });
});
