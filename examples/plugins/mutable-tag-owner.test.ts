import { createRuleTester, expectFindings } from '@pullguard/sdk/testing';
import { describe, expect, it } from 'vitest';
import mutableTagOwner from './mutable-tag-owner.js';

const t = createRuleTester(mutableTagOwner);
const rule = 'mutable-tag-owner/annotated';

function deployment(image: string, annotations: Record<string, string> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'dev-x', annotations },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image, imagePullPolicy: 'Always' }] },
      },
    },
  };
}

describe('mutable-tag-owner/annotated', () => {
  it('warns (its default action) about a mutable tag on a workload without an owner', async () => {
    const findings = await t.run(rule, { manifests: deployment('registry.acme.io/web:2.1') });
    expectFindings(findings).toMatch([
      {
        rule,
        action: 'warn',
        workload: 'Deployment/web',
        container: 'web',
        message:
          'registry.acme.io/web:2.1 uses the mutable tag "2.1", but Deployment/web has no acme.io/owner annotation',
      },
    ]);
  });

  it('names the implicit latest tag', async () => {
    const findings = await t.run(rule, { manifests: deployment('nginx') });
    expectFindings(findings).toMatch([{ message: /nginx uses the mutable tag "latest"/ }]);
  });

  it('passes a workload that names its owner, and any image pinned by digest', async () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expectFindings(
      await t.run(rule, {
        manifests: deployment('registry.acme.io/web:2.1', { 'acme.io/owner': 'storefront' }),
      }),
    ).toBeEmpty();
    expectFindings(
      await t.run(rule, { manifests: deployment(`registry.acme.io/web:2.1@${digest}`) }),
    ).toBeEmpty();
  });

  it('treats a blank owner as no owner', async () => {
    const findings = await t.run(rule, { manifests: deployment('nginx:1.27', { 'acme.io/owner': '  ' }) });
    expectFindings(findings).toMatch([{ message: /has no acme\.io\/owner annotation/ }]);
  });

  it('checks the owner against the format the policy gives, under the annotation it names', async () => {
    const options = { annotation: 'team.acme.io/owner', format: '^[a-z-]+@acme\\.io$' };
    const ok = deployment('nginx:1.27', { 'team.acme.io/owner': 'web-team@acme.io' });
    const bad = deployment('nginx:1.27', { 'team.acme.io/owner': 'somebody' });
    expectFindings(await t.run(rule, { manifests: ok, with: options })).toBeEmpty();
    expectFindings(await t.run(rule, { manifests: bad, with: options, action: 'deny' })).toMatch([
      {
        action: 'deny',
        message:
          'nginx:1.27 uses the mutable tag "1.27", and the owner "somebody" in team.acme.io/owner does not match ^[a-z-]+@acme\\.io$',
      },
    ]);
  });

  it('reports an invalid format when the policy loads, at its field', async () => {
    await expect(t.run(rule, { manifests: deployment('nginx'), with: { format: '(' } })).rejects.toThrow(
      /POLICY_BAD_OPTIONS.*missing closing \).*format/s,
    );
    // What RE2 cannot match in linear time is refused, not run.
    await expect(
      t.run(rule, { manifests: deployment('nginx'), with: { format: '(\\w+)@\\1' } }),
    ).rejects.toThrow(/POLICY_BAD_OPTIONS.*backreference.*format/s);
  });

  it('matches the owner in linear time: a backtracking pattern and a long owner cannot hold it', async () => {
    // With `new RegExp`, `(a+)+$`-style formats took exponential time on an owner like this one:
    // every admission of such a workload held the rule for its whole timeout.
    const options = { format: '(a+)+@acme\\.io' };
    const owner = `${'a'.repeat(5000)}!`;
    const findings = await t.run(rule, {
      manifests: deployment('nginx:1.27', { 'acme.io/owner': owner }),
      with: options,
    });
    expectFindings(findings).toMatch([{ message: /does not match \(a\+\)\+@acme\\\.io$/ }]);
  });
});
