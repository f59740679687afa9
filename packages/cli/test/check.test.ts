import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { BIN, CORPUS, fixture, itWithCorpus, runCli } from './helpers.js';
import { sarifSchemaErrors } from './sarif-schema.js';

const POLICY = ['--policy', fixture('policies')];
const m = (name: string) => fixture('manifests', name);

describe('pullguard check', () => {
  it('exits 0 with a green summary when nothing blocks, and prints nothing on stderr', async () => {
    const run = await runCli(['check', ...POLICY, m('clean.yaml')]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('✔ no blocking findings');
  });

  it('exits 1 on a deny finding, grouping the table by file, workload and container', async () => {
    const run = await runCli(['check', ...POLICY, m('latest.yaml')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(
      'test/__fixtures__/manifests/latest.yaml\n  Deployment/web namespace default\n    container web  nginx',
    );
    expect(run.stdout).toMatch(/deny {3}disallow-latest/);
    expect(run.stdout).toMatch(/warn {3}require-explicit-pull-policy/);
    expect(run.stdout).toContain('How to fix');
  });

  it('reads stdin with -', async () => {
    const input = await readFile(m('latest.yaml'), 'utf8');
    const run = await runCli(['check', ...POLICY, '--format', 'json', '-'], { input });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.findings.map((f: { rule: string }) => f.rule)).toContain('disallow-latest');
    expect(report.findings[0].location.file).toBe('<stdin>');
  });

  it('reads what `kubectl get pods -A -o json` prints (a List, namespaces on the objects) from stdin', async () => {
    const pod = (namespace: string, image: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace },
      spec: { containers: [{ name: 'web', image, imagePullPolicy: 'IfNotPresent' }] },
    });
    const input = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [pod('prod-a', 'nginx:1.27'), pod('dev', 'nginx:1.27')],
    });
    const run = await runCli(['check', ...POLICY, '--format', 'json', '-'], { input });
    expect(run.code).toBe(1);
    const findings = JSON.parse(run.stdout).findings.map(
      (f: { namespace: string; rule: string }) => `${f.namespace} ${f.rule}`,
    );
    expect(findings.sort()).toEqual(['prod-a mutable-tags-require-always', 'prod-a require-digest']);
  });

  it('reports a broken file in a directory with file:line:column, still checks the rest, and exits 2', async () => {
    const run = await runCli(['check', ...POLICY, '--format', 'json', fixture('manifests', 'broken-dir')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/broken-dir\/a-broken\.yaml:\d+:\d+: YAML_SYNTAX /);
    const report = JSON.parse(run.stdout);
    expect(report.errors[0]).toMatchObject({
      code: 'YAML_SYNTAX',
      file: 'test/__fixtures__/manifests/broken-dir/a-broken.yaml',
    });
    expect(report.errors[0].line).toBeGreaterThan(0);
    expect(
      report.findings.some((f: { location: { file: string } }) => f.location.file.endsWith('b-latest.yaml')),
    ).toBe(true);
  });

  it('applies policies by namespace (prod-* requires digests) and reads JSON files', async () => {
    const run = await runCli(['check', ...POLICY, '--format', 'json', m('prod.json')]);
    expect(run.code).toBe(1);
    const rules = JSON.parse(run.stdout).findings.map(
      (f: { rule: string; namespace: string }) => `${f.namespace} ${f.rule}`,
    );
    expect(rules).toEqual(
      expect.arrayContaining(['prod-eu require-digest', 'prod-eu mutable-tags-require-always']),
    );
  });

  it('uses --namespace for objects without one', async () => {
    const run = await runCli([
      'check',
      ...POLICY,
      '--namespace',
      'prod-x',
      '--format',
      'json',
      m('clean.yaml'),
    ]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings).toContainEqual(
      expect.objectContaining({ namespace: 'prod-x', rule: 'require-digest' }),
    );
  });

  describe('--fail-on', () => {
    it('warn makes warnings block', async () => {
      expect((await runCli(['check', ...POLICY, m('warn-only.yaml')])).code).toBe(0);
      expect((await runCli(['check', ...POLICY, '--fail-on', 'warn', m('warn-only.yaml')])).code).toBe(1);
    });
    it('never always exits 0 when everything loads', async () => {
      expect((await runCli(['check', ...POLICY, '--fail-on', 'never', m('latest.yaml')])).code).toBe(0);
    });
  });

  describe('formats', () => {
    it('json has the documented shape', async () => {
      const run = await runCli(['check', ...POLICY, '--format', 'json', m('latest.yaml')]);
      const report = JSON.parse(run.stdout);
      expect(report).toMatchObject({ version: 1, verdict: 'fail', failOn: 'deny', errors: [] });
      const latest = report.findings.find((f: { rule: string }) => f.rule === 'disallow-latest');
      expect(latest).toMatchObject({
        policy: 'shop',
        action: 'deny',
        blocking: true,
        namespace: 'default',
        workload: { kind: 'Deployment', name: 'web' },
        container: { name: 'web', type: 'container' },
        image: { raw: 'nginx', name: 'docker.io/library/nginx', tag: null, digest: null },
        pullPolicy: { declared: null, effective: 'Always' },
        location: { file: 'test/__fixtures__/manifests/latest.yaml', line: 15, column: 18 },
        pointer: '/spec/template/spec/containers/0/image',
        exemption: null,
      });
      expect(report.summary).toMatchObject({ workloads: 1, images: 2 });
    });

    it('sarif validates against the SARIF 2.1.0 schema', async () => {
      const run = await runCli(['check', ...POLICY, '--format', 'sarif', fixture('manifests')]);
      expect(run.code).toBe(2);
      const log = JSON.parse(run.stdout);
      expect(sarifSchemaErrors(log)).toEqual([]);
      const result = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'disallow-latest');
      expect(result.level).toBe('error');
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toMatch(
        /^test\/__fixtures__\/manifests\//,
      );
      expect(log.runs[0].tool.driver.rules.length).toBeGreaterThanOrEqual(5);
    });

    it('junit parses back, one case per workload × rule', async () => {
      const run = await runCli(['check', ...POLICY, '--format', 'junit', m('latest.yaml')]);
      const doc = new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: '',
        isArray: (n) => n === 'testcase' || n === 'testsuite',
      }).parse(run.stdout);
      const cases = doc.testsuites.testsuite[0].testcase;
      expect(cases.map((c: { name: string }) => c.name)).toEqual([
        'Deployment/web disallow-latest',
        'Deployment/web require-explicit-pull-policy',
      ]);
      expect(cases[0].failure.message).toMatch(/latest/);
      expect(cases[1].failure).toBeUndefined();
    });

    it('github prints workflow commands', async () => {
      const run = await runCli(['check', ...POLICY, '--format', 'github', m('latest.yaml')]);
      expect(run.stdout).toMatch(
        /^::error file=test\/__fixtures__\/manifests\/latest\.yaml,line=15,col=18,title=pullguard disallow-latest::/m,
      );
      expect(run.stdout).toMatch(/^::warning file=.*title=pullguard require-explicit-pull-policy::/m);
    });
  });

  it('writes the report to --output and nothing to stdout', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullguard-'));
    const out = join(dir, 'report.json');
    const run = await runCli(['check', ...POLICY, '--format', 'json', '--output', out, m('latest.yaml')]);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(JSON.parse(await readFile(out, 'utf8')).verdict).toBe('fail');
  });

  it('stops quietly when the reader of stdout goes away (| head)', async () => {
    const { spawnSync } = await import('node:child_process');
    const pipeline = `"${process.execPath}" "${BIN}" check --format json --fail-on never "${fixture('manifests')}" | head -c 10`;
    const run = spawnSync('sh', ['-c', pipeline], { encoding: 'utf8' });
    expect(run.stdout).toBe('{\n  "versi');
    expect(run.stderr).not.toMatch(/EPIPE|Error/);
  });

  it('uses no colors when stdout is not a terminal', async () => {
    const run = await runCli(['check', ...POLICY, m('latest.yaml')]);
    expect(run.stdout).not.toContain('\u001b[');
  });

  describe('errors (exit 2)', () => {
    it('lists every policy error with file:line:column and checks nothing', async () => {
      const run = await runCli(['check', '--policy', fixture('bad-policies'), m('latest.yaml')]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/bad-policies\/broken\.yaml:10:15: POLICY_SCHEMA /);
    });

    it('rejects an unknown option, an invalid --format and a missing path', async () => {
      for (const args of [['check', '--bogus', 'x'], ['check', '--format', 'xml', 'x'], ['check']]) {
        const run = await runCli(args);
        expect(run.code, args.join(' ')).toBe(2);
        expect(run.stdout).toBe('');
        expect(run.stderr).not.toBe('');
      }
    });

    it('reports a path that does not exist', async () => {
      const run = await runCli(['check', ...POLICY, m('nope.yaml')]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/nope\.yaml:1:1: INPUT_READ_FAILED /);
    });

    it('validates --config with file:line:column', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'pullguard-'));
      const config = join(dir, 'config.yaml');
      await writeFile(config, 'policies: [p/]\nfailOn: sometimes\n');
      const run = await runCli(['check', '--config', config, m('clean.yaml')]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `${config}:2:9: CONFIG_INVALID must be one of deny, warn, never (found "sometimes") (at failOn)`,
      );
    });
  });

  it('reads policies, failOn and format from --config, paths relative to it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullguard-'));
    const config = join(dir, 'config.yaml');
    await writeFile(
      config,
      `policies: [${JSON.stringify(fixture('policies'))}]\nfailOn: never\nformat: json\n`,
    );
    const run = await runCli(['check', '--config', config, m('latest.yaml')]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).failOn).toBe('never');
  });

  it('uses the bundled baseline policy when none is given', async () => {
    const run = await runCli(['check', '--format', 'json', m('latest.yaml')], { cwd: fixture('manifests') });
    const report = JSON.parse(run.stdout);
    expect(report.findings.every((f: { policy: string }) => f.policy === 'baseline')).toBe(true);
    expect(run.code).toBe(1);
  });

  it('reports the same on worker threads as on one thread (only cache statistics differ)', async () => {
    const args = ['check', ...POLICY, '--format', 'json', '--fail-on', 'never', fixture('manifests')];
    const strip = (stdout: string) => {
      const { summary, ...rest } = JSON.parse(stdout);
      return { ...rest, summary: { ...summary, cache: null } };
    };
    const one = await runCli(args, { env: { PULLGUARD_WORKERS: '1' } });
    const three = await runCli(args, { env: { PULLGUARD_WORKERS: '3' } });
    expect(three.code).toBe(one.code);
    expect(three.stderr).toBe(one.stderr);
    expect(strip(three.stdout)).toEqual(strip(one.stdout));
    expect(strip(one.stdout).findings.length).toBeGreaterThan(3);
  });

  itWithCorpus(
    'checks the whole real-world corpus without crashing',
    async () => {
      const run = await runCli(['check', '--format', 'json', '--fail-on', 'never', CORPUS]);
      expect(run.stderr).not.toMatch(/INTERNAL|at .*\.js:\d+/);
      const report = JSON.parse(run.stdout);
      expect(report.summary.workloads).toBeGreaterThan(200);
      expect(report.findings.length).toBeGreaterThan(0);
      // The corpus holds one template no YAML parser accepts: a load error, so exit 2.
      expect(run.code).toBe(report.errors.length > 0 ? 2 : 0);
    },
    90_000,
  );
});
