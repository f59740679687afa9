import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidatingAdmissionPolicy } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy';
import { ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT, runCli } from './helpers.js';

const POLICIES = join(REPO_ROOT, 'examples', 'policies');
const PLUGINS = join(REPO_ROOT, 'examples', 'plugins');

type Json = Record<string, unknown>;

const objectsOf = (yaml: string) =>
  parseAllDocuments(yaml)
    .map((d) => d.toJS() as Json)
    .filter((o) => o !== null);

describe('pullguard export vap', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('prints schema-valid policies and bindings, says what it did not export and when to export again', async () => {
    const run = await runCli(['export', 'vap', '--policy', POLICIES, '--now', '2026-06-01']);
    expect(run.code).toBe(0);
    const objects = objectsOf(run.stdout);
    const names = objects.map((o) => `${o['kind']} ${(o['metadata'] as Json)['name']}`);
    expect(names).toContain('ValidatingAdmissionPolicy pullguard.production.deny');
    expect(names).toContain('ValidatingAdmissionPolicyBinding pullguard.tenant-payments.deny');
    expect(names).toContain('ValidatingAdmissionPolicy pullguard.pullguard-builtin.deny');
    for (const object of objects) {
      const Model =
        object['kind'] === 'ValidatingAdmissionPolicy'
          ? ValidatingAdmissionPolicy
          : ValidatingAdmissionPolicyBinding;
      expect(() => new Model(object as never).validate()).not.toThrow();
    }
    const binding = objects.find(
      (o) =>
        (o['metadata'] as Json)['name'] === 'pullguard.tenant-payments.deny' &&
        o['kind'] === 'ValidatingAdmissionPolicyBinding',
    );
    expect(binding?.['spec']).toMatchObject({
      validationActions: ['Deny', 'Audit'],
      matchResources: { namespaceSelector: { matchLabels: { team: 'payments' } } },
    });
    expect(run.stdout).toMatch(/^# Valid until 2028-04-01T00:00:00.000Z, when an exemption in it expires/m);
    expect(run.stderr).toContain('not exported: production/mutable-tags-require-always: mutate: true');
    expect(run.stderr).toContain(
      'skipped: baseline/require-explicit-pull-policy: not judged on admitted objects',
    );
    expect(run.stderr).toMatch(
      /^cost: pullguard\.production\.deny: ~[\d,]+ \(dearest expression ~[\d,]+\); within the limits up to \d+ images/m,
    );
  });

  it('leaves an expired exemption out, and then needs no regeneration', async () => {
    const run = await runCli(['export', 'vap', '--policy', POLICIES, '--now', '2028-05-01']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# No exemption in it expires/m);
    expect(run.stdout).not.toContain('storefront/report');
  });

  it('lists plugin rules as not exported, and --fail-on-unexported exits 2 printing nothing', async () => {
    const args = [
      'export',
      'vap',
      '--policy',
      join(PLUGINS, 'policy.yaml'),
      '--plugin',
      join(PLUGINS, 'team-registry.js'),
      '--plugin',
      join(PLUGINS, 'mutable-tag-owner.js'),
    ];
    const lenient = await runCli(args);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toContain(
      'not exported: platform-plugins/team-registry/own-path: rule team-registry/own-path comes from a plugin',
    );
    expect(objectsOf(lenient.stdout).map((o) => (o['metadata'] as Json)['name'])).toEqual([
      'pullguard.pullguard-builtin.deny',
      'pullguard.pullguard-builtin.deny',
    ]);
    const strict = await runCli([...args, '--fail-on-unexported']);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toBe('');
    expect(strict.stderr).toMatch(
      /error: 2 rule\(s\) not exported \(--fail-on-unexported\): nothing printed/,
    );
  });

  it('writes to --output, and refuses a bad --now or broken policies with exit 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullguard-export-'));
    dirs.push(dir);
    const file = join(dir, 'vap.yaml');
    const written = await runCli(['export', 'vap', '--policy', POLICIES, '-o', file]);
    expect(written.code).toBe(0);
    expect(written.stdout).toBe('');
    expect(objectsOf(await readFile(file, 'utf8')).length).toBeGreaterThan(2);
    const badNow = await runCli(['export', 'vap', '--policy', POLICIES, '--now', 'tomorrow']);
    expect(badNow.code).toBe(2);
    expect(badNow.stderr).toContain('--now must be a date');
    const broken = await runCli(['export', 'vap', '--policy', join(REPO_ROOT, 'README.md')]);
    expect(broken.code).toBe(2);
    expect(broken.stdout).toBe('');
  });
});
