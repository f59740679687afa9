import { createRuleTester, expectFindings } from '@pullguard/sdk/testing';
import { describe, expect, it } from 'vitest';
import teamRegistry from './team-registry.js';

const t = createRuleTester(teamRegistry);
const rule = 'team-registry/own-path';
const options = { registry: 'registry.acme.io', shared: ['registry.acme.io/base/'] };

function pod(image: string): string {
  return `apiVersion: v1
kind: Pod
metadata: { name: app }
spec:
  containers:
    - name: app
      image: ${image}
`;
}

describe('team-registry/own-path', () => {
  it("passes an image under the namespace team's registry path", async () => {
    const findings = await t.run(rule, {
      manifests: pod('registry.acme.io/payments/api:1.0'),
      with: options,
      namespace: 'team-payments',
      namespaceLabels: { team: 'payments' },
    });
    expectFindings(findings).toBeEmpty();
  });

  it("denies another team's image, naming the path the namespace's team owns", async () => {
    const findings = await t.run(rule, {
      manifests: pod('registry.acme.io/storefront/web:1.0'),
      with: options,
      namespace: 'team-payments',
      namespaceLabels: { team: 'payments' },
    });
    expectFindings(findings).toMatch([
      {
        rule,
        action: 'deny',
        container: 'app',
        message:
          "image registry.acme.io/storefront/web:1.0 is not under team payments's registry path registry.acme.io/payments/",
      },
    ]);
  });

  it('compares path components, not string prefixes: payments-legacy is not payments', async () => {
    const findings = await t.run(rule, {
      manifests: pod('registry.acme.io/payments-legacy/api:1.0'),
      with: options,
      namespace: 'team-payments',
      namespaceLabels: { team: 'payments' },
    });
    expectFindings(findings).toMatch([{ container: 'app', status: 'violation' }]);
  });

  it('allows the shared prefixes to every team', async () => {
    const findings = await t.run(rule, {
      manifests: pod('registry.acme.io/base/log-shipper:3.0'),
      with: options,
      namespace: 'team-payments',
      namespaceLabels: { team: 'payments' },
    });
    expectFindings(findings).toBeEmpty();
  });

  it('reads the normalized name: a Docker Hub short name is docker.io/library/…', async () => {
    const findings = await t.run(rule, {
      manifests: pod('busybox'),
      with: { registry: 'docker.io/library' },
      namespace: 'ns',
      namespaceLabels: { team: 'busybox' },
    });
    expectFindings(findings).toMatch([
      { message: /not under team busybox's registry path docker\.io\/library\/busybox\// },
    ]);
  });

  it('passes namespaces without a team unless requireTeam is set, and says why it fails then', async () => {
    const run = { manifests: pod('registry.acme.io/any/thing:1'), namespace: 'sandbox' };
    expectFindings(await t.run(rule, { ...run, with: options, namespaceLabels: {} })).toBeEmpty();
    expectFindings(
      await t.run(rule, { ...run, with: { ...options, requireTeam: true }, namespaceLabels: {} }),
    ).toMatch([{ message: 'namespace sandbox has no team: it has no "team" label' }]);
    expectFindings(await t.run(rule, { ...run, with: { ...options, requireTeam: true } })).toMatch([
      { message: 'namespace sandbox has no team: its labels are unknown' },
    ]);
  });

  it('reads the team from another label when the policy says so', async () => {
    const findings = await t.run(rule, {
      manifests: pod('registry.acme.io/payments/api:1.0'),
      with: { ...options, label: 'acme.io/team' },
      namespace: 'team-payments',
      namespaceLabels: { 'acme.io/team': 'payments' },
    });
    expectFindings(findings).toBeEmpty();
  });

  it('refuses a team label that is not a path component instead of matching it as a prefix', async () => {
    const findings = await t.run(rule, {
      manifests: pod('registry.acme.io/payments/api:1.0'),
      with: options,
      namespace: 'team-payments',
      namespaceLabels: { team: 'payments/../x' },
    });
    expectFindings(findings).toMatch([
      { message: 'namespace team-payments has an invalid "team" label "payments/../x"' },
    ]);
  });

  it('rejects options that do not match its schema when the policy loads', async () => {
    await expect(
      t.run(rule, { manifests: pod('x'), with: { registry: 'https://registry.acme.io' } }),
    ).rejects.toThrow(/POLICY_BAD_OPTIONS/);
    await expect(t.run(rule, { manifests: pod('x'), with: {} })).rejects.toThrow(/POLICY_BAD_OPTIONS/);
  });
});
