import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
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
  it('does not read a Knative Service or an Argo Rollout by default (no guessing at CRDs), and says so', async () => {
    const run = await runCli(['check', ...POLICY, '--format', 'json', CRDS]);
    const report = JSON.parse(run.stdout);
    expect(report.summary).toMatchObject({ objects: 2, workloads: 0, images: 0 });
    expect(report.warnings.map((w: { code: string }) => w.code)).toEqual(['KIND_NOT_READ', 'KIND_NOT_READ']);
    // Nothing was checked: not a pass.
    expect(report.errors.map((e: { code: string }) => e.code)).toEqual(['NO_WORKLOADS']);
    expect(run.code).toBe(2);
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
    expect(run.stderr).toContain(
      `${config}:4:5: CONFIG_INVALID "argoproj.io/" is not valid: must be group/Kind (argoproj.io/Rollout), the group a DNS subdomain of at most 253 characters, or Kind for any group (at manifests.podSpecPaths["argoproj.io/"])`,
    );
  });
});

describe('rule timeout (config ruleTimeoutMs, --rule-timeout)', () => {
  const SLOW = [
    '--policy',
    fixture('slow-rule', 'policy.yaml'),
    '--plugin',
    fixture('slow-rule', 'plugin.js'),
  ];
  const POD = fixture('manifests', 'clean.yaml');

  it('a rule slower than --rule-timeout is a finding with status error (it blocks through its action)', async () => {
    const run = await runCli(['check', ...SLOW, '--rule-timeout', '10', '--format', 'json', POD]);
    expect(run.code).toBe(1);
    const [finding] = JSON.parse(run.stdout).findings;
    expect(finding).toMatchObject({ rule: 'slow/wait', status: 'error', action: 'deny' });
    expect(finding.message).toContain('within 10 ms');
  });

  it('within the default timeout (1000 ms) the same rule passes', async () => {
    const run = await runCli(['check', ...SLOW, '--format', 'json', POD]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).findings).toEqual([]);
  });

  it('reads ruleTimeoutMs from the config file; the flag wins over it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullguard-config-'));
    const config = join(dir, 'config.yaml');
    await writeFile(
      config,
      `policies: [${JSON.stringify(fixture('slow-rule', 'policy.yaml'))}]\nplugins: [${JSON.stringify(fixture('slow-rule', 'plugin.js'))}]\nruleTimeoutMs: 10\n`,
    );
    const fromConfig = await runCli(['check', '--config', config, '--format', 'json', POD]);
    expect(JSON.parse(fromConfig.stdout).findings[0]).toMatchObject({ rule: 'slow/wait', status: 'error' });
    const flag = await runCli([
      'check',
      '--config',
      config,
      '--rule-timeout',
      '5000',
      '--format',
      'json',
      POD,
    ]);
    expect(flag.code).toBe(0);
  });

  it('pullguard test takes --rule-timeout too', async () => {
    const test = fixture('slow-rule', 'slow.pullguard-test.yaml');
    expect((await runCli(['test', test])).code).toBe(0);
    const short = await runCli(['test', '--rule-timeout', '10', test]);
    expect(short.code).toBe(1);
    expect(short.stdout).toContain('+ deny slow/wait');
  });

  it('rejects a timeout that is not a whole number of ms from 1 to 2^31 - 1 (exit 2, nothing on stdout)', async () => {
    for (const value of ['0', '-5', '1.5', '10s', '2147483648']) {
      for (const command of ['check', 'test']) {
        const run = await runCli([command, '--rule-timeout', value, POD]);
        expect(run.code, `${command} ${value}`).toBe(2);
        expect(run.stdout).toBe('');
        expect(run.stderr).toContain(
          `option '--rule-timeout <ms>' argument '${value}' is invalid. must be a whole number of milliseconds from 1 to 2147483647.`,
        );
      }
    }
  });

  it('rejects an invalid ruleTimeoutMs in the config with its position', async () => {
    const config = await writeConfig('ruleTimeoutMs: 0\n');
    const run = await runCli(['check', '--config', config, POD]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${config}:2:16: CONFIG_INVALID must be a whole number of milliseconds from 1 to 2147483647 (found 0) (at ruleTimeoutMs)`,
    );
    expect(await readFile(config, 'utf8')).toContain('ruleTimeoutMs: 0');
  });
});
