import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliRun, fixture, runCli } from './helpers.js';

const POLICY = ['--policy', fixture('policies')];
const CRDS = fixture('crd-workloads');

async function writeConfig(text: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'pullguard-config-')), 'config.yaml');
  await writeFile(file, `policies: [${JSON.stringify(fixture('policies'))}]\n${text}`);
  return file;
}

/** `Kind/name rule` of every finding in a JSON report. */
const findings = (run: CliRun) =>
  (JSON.parse(run.stdout).findings as { workload: { kind: string; name: string }; rule: string }[]).map(
    (f) => `${f.workload.kind}/${f.workload.name} ${f.rule}`,
  );

describe('extra workload kinds (config manifests, --well-known-kinds)', () => {
  it('skips a Knative Service and an Argo Rollout by default: pullguard does not guess at CRDs', async () => {
    const run = await runCli(['check', ...POLICY, '--format', 'json', CRDS]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).summary).toMatchObject({ objects: 2, workloads: 0, images: 0 });
  });

  it('checks them with --well-known-kinds, with the position of each image', async () => {
    const run = await runCli(['check', ...POLICY, '--well-known-kinds', '--format', 'json', CRDS]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.summary).toMatchObject({ workloads: 2, images: 2 });
    expect(findings(run)).toEqual([
      'Service/hello disallow-latest',
      'Service/hello require-explicit-pull-policy',
      'Rollout/canary disallow-latest',
      'Rollout/canary require-explicit-pull-policy',
    ]);
    expect(report.findings[2].location).toEqual({
      file: 'test/__fixtures__/crd-workloads/rollout.yaml',
      line: 13,
      column: 18,
    });
  });

  it('checks only the kinds the config names in manifests.podSpecPaths (dotted or listed paths)', async () => {
    const config = await writeConfig(
      'manifests:\n  podSpecPaths:\n    argoproj.io/Rollout: spec.template.spec\n',
    );
    const run = await runCli(['check', '--config', config, '--format', 'json', CRDS]);
    expect(findings(run)).toEqual([
      'Rollout/canary disallow-latest',
      'Rollout/canary require-explicit-pull-policy',
    ]);
    const listed = await writeConfig(
      'manifests:\n  podSpecPaths:\n    serving.knative.dev/Service: [spec, template, spec]\n',
    );
    const both = await runCli(['check', '--config', listed, '--format', 'json', CRDS]);
    expect(findings(both)).toEqual([
      'Service/hello disallow-latest',
      'Service/hello require-explicit-pull-policy',
    ]);
  });

  it('reads manifests.wellKnownKinds from the config, and applies it on worker threads too', async () => {
    const config = await writeConfig('manifests: { wellKnownKinds: true }\n');
    const args = ['check', '--config', config, '--format', 'json', CRDS];
    const one = await runCli(args, { env: { PULLGUARD_WORKERS: '1' } });
    const two = await runCli(args, { env: { PULLGUARD_WORKERS: '2' } });
    expect(findings(one)).toHaveLength(4);
    expect(findings(two)).toEqual(findings(one));
  });

  it('passes manifests.limits to the loader', async () => {
    const config = await writeConfig('manifests: { limits: { maxDocumentBytes: 100 } }\n');
    const run = await runCli(['check', '--config', config, fixture('manifests', 'latest.yaml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/latest\.yaml:\d+:\d+: \w+ .*100/);
  });

  it('fix writes pull policies into the extra kinds as well', async () => {
    const run = await runCli([
      'fix',
      ...POLICY,
      '--well-known-kinds',
      '--diff',
      fixture('crd-workloads', 'rollout.yaml'),
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('+          imagePullPolicy: Always');
    expect(run.stderr).toContain('would set 1 field in 1 file');
  });

  it('rejects a key that is not a kind, with its position', async () => {
    const config = await writeConfig('manifests:\n  podSpecPaths:\n    "argoproj.io/": spec.template.spec\n');
    const run = await runCli(['check', '--config', config, CRDS]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${config}:4:5: CONFIG_INVALID "argoproj.io/" is not a kind`);
  });
});
