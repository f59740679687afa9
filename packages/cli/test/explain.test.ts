import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, REPO_ROOT, runCli } from './helpers.js';

const EXAMPLE_POLICIES = join(REPO_ROOT, 'examples', 'policies');

describe('pullguard explain image', () => {
  it('normalizes the reference and explains each pull policy for a mutable tag', async () => {
    const run = await runCli(['explain', 'image', 'nginx']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('canonical  docker.io/library/nginx:latest');
    expect(run.stdout).toContain('Default imagePullPolicy: Always');
    expect(run.stdout).toMatch(
      /IfNotPresent: pulls only when the node does not have the image\.\n {2}a node that already has nginx keeps running its copy/,
    );
    expect(run.stdout).toMatch(/Never: pulls never\.\n {2}the image must already be on the node/);
  });

  it('explains a digest: IfNotPresent by default, Always costs a round-trip but reuses layers', async () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const run = await runCli(['explain', 'image', '--format', 'json', `ghcr.io/acme/app:1.2@${digest}`]);
    expect(run.code).toBe(0);
    const e = JSON.parse(run.stdout);
    expect(e).toMatchObject({
      canonical: `ghcr.io/acme/app:1.2@${digest}`,
      mutable: false,
      default: { policy: 'IfNotPresent' },
      reference: { domain: 'ghcr.io', path: 'acme/app', tag: '1.2', digest },
    });
    expect(e.policies.find((p: { policy: string }) => p.policy === 'Always').meaning).toMatch(
      /cached layers are reused/,
    );
  });

  it('rejects an invalid reference with exit 2, the parser message and its offset', async () => {
    const run = await runCli(['explain', 'image', 'nginx:bad tag']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^INVALID_IMAGE_REFERENCE invalid reference "nginx:bad tag": .*at offset 9\n {2}nginx:bad tag\n {11}\^\n$/,
    );
  });
});

describe('pullguard explain --namespace', () => {
  const POLICY = ['--policy', fixture('policies')];

  it('lists the policies that apply, why, and their rules', async () => {
    const run = await runCli(['explain', ...POLICY, '--namespace', 'prod-eu']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^policies from --policy: .*policies\nnamespace prod-eu: labels unknown/);
    expect(run.stdout).toMatch(/✔ applies {2}prod/);
    expect(run.stdout).toMatch(/rule deny {2}require-digest/);
  });

  it("shows each policy's onRegistryError: what a registry outage means for its registry rules", async () => {
    const run = await runCli([
      'explain',
      '--policy',
      fixture('registry', 'policy.yaml'),
      '--namespace',
      'shop',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✔ applies {2}shop .*\n(?: {4}.*\n)*? {4}onRegistryError warn\n/);
    const json = await runCli([
      'explain',
      '--policy',
      fixture('registry', 'policy.yaml'),
      '--namespace',
      'shop',
      '--format',
      'json',
    ]);
    expect(JSON.parse(json.stdout).policies[0]).toMatchObject({ name: 'shop', onRegistryError: 'warn' });
  });

  it('answers in JSON with --format json, using --labels', async () => {
    const run = await runCli([
      'explain',
      ...POLICY,
      '--namespace',
      'shop',
      '--labels',
      'env=prod',
      '--format',
      'json',
    ]);
    expect(run.code).toBe(0);
    const e = JSON.parse(run.stdout);
    expect(e).toMatchObject({ namespace: 'shop', labels: { env: 'prod' } });
    const applying = e.policies
      .filter((p: { applies: boolean }) => p.applies)
      .map((p: { name: string }) => p.name);
    expect(applying).toEqual(['shop']);
  });

  it('shows every condition of an exemption (images, namespaces, workloads), in text and JSON', async () => {
    const args = ['explain', '--policy', EXAMPLE_POLICIES, '--namespace', 'prod-a'];
    const text = await runCli(args);
    expect(text.stdout).toContain(
      'exemption active: require-digest for images registry.acme.io/storefront/report and workloads CronJob/report, expires 2028-03-31',
    );
    const json = JSON.parse((await runCli([...args, '--format', 'json'])).stdout);
    const production = json.policies.find((p: { name: string }) => p.name === 'production');
    expect(production.exemptions[0]).toMatchObject({
      images: ['registry.acme.io/storefront/report'],
      workloads: ['CronJob/report'],
    });
  });

  it('is a usage error without --namespace (exit 2)', async () => {
    const run = await runCli(['explain', ...POLICY]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--namespace/);
  });
});
