// The test of docs/plugins.md ("Testing a plugin").
// #region test
import { createRuleTester, expectFindings } from '@pullguard/sdk/testing';
import { describe, it } from 'vitest';
import acme from './acme-plugin.js';

const t = createRuleTester(acme);

describe('acme/no-busybox', () => {
  it('denies busybox unless the policy allows its tag', async () => {
    const manifests = `
apiVersion: v1
kind: Pod
metadata: { name: debug }
spec:
  containers:
    - { name: shell, image: busybox:1.36 }
    - { name: app, image: registry.acme.io/app:1.0 }
`;
    const findings = await t.run('acme/no-busybox', { manifests, namespace: 'dev-x' });
    expectFindings(findings).toMatch([
      { rule: 'acme/no-busybox', action: 'deny', container: 'shell', message: /busybox is not allowed/ },
    ]);

    const allowed = await t.run('acme/no-busybox', { manifests, with: { allowTags: ['1.36'] } });
    expectFindings(allowed).toBeEmpty();
  });
});
// #endregion test
