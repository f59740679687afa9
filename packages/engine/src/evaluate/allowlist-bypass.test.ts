import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineFor } from './__fixtures__/engine-harness.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

describe('allowed-registries through the whole engine', () => {
  it('denies every image that only looks like it comes from an allowed registry', async () => {
    const engine = engineFor(fixture('prod-policies.yaml'));
    const report = await engine.evaluateText(fixture('bypass-attempts.yaml'), {
      file: 'bypass-attempts.yaml',
    });
    const denied = report.findings
      .filter((f) => f.rule === 'allowed-registries')
      .map((f) => f.container.name);
    expect(denied).toEqual([
      'host-suffix',
      'org-prefix',
      'official-image',
      'hub-spelled-out',
      'host-as-org',
      'other-port',
    ]);
    expect(report.verdict).toBe('fail');
  });

  it('judges nginx as docker.io/library/nginx when only docker.io/acme/ is allowed', async () => {
    const engine = engineFor(`apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: hub-org-only }
spec:
  namespaces: ["*"]
  rules:
    - rule: allowed-registries
      with: { registries: [docker.io/acme/] }
`);
    const report = await engine.evaluateObjects([
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: { containers: [{ name: 'a', image: 'nginx' }] },
      },
    ]);
    expect(report.findings.map((f) => f.message)).toEqual([
      'nginx is docker.io/library/nginx, which matches none of the allowed registries (docker.io/acme/).',
    ]);
  });
});
