import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { fixture, REPO_ROOT, runCli } from './helpers.js';

describe('pullguard test', () => {
  it('passes the policy tests shipped in examples/tests/', async () => {
    const run = await runCli(['test', 'examples/tests'], { cwd: REPO_ROOT });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/\n\d+ passed, 0 failed\n$/);
    expect(run.code).toBe(0);
  });

  it('fails (exit 1) with a diff of expected and actual findings', async () => {
    const run = await runCli(['test', fixture('tests', 'failing.pullguard-test.yaml')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✘ expects the wrong action');
    expect(run.stdout).toContain('      - warn disallow-latest Pod/web container web');
    expect(run.stdout).toMatch(
      / {6}\+ deny disallow-latest Pod\/web container web policy shop image nginx:latest/,
    );
    expect(run.stdout).toMatch(/ {6}\+ deny disallow-latest Deployment\/web container web/);
    expect(run.stdout).toContain('0 passed, 2 failed');
  });

  it('reports an invalid test file with its line and column (exit 2)', async () => {
    const run = await runCli(['test', fixture('tests', 'invalid.pullguard-test.yaml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /invalid\.pullguard-test\.yaml:8:7: TEST_INVALID unknown field "finding" \(did you mean "findings"\?\) \(at cases\[0\]\.expect\.finding\)/,
    );
  });

  it('reads objects as check does: --well-known-kinds (or the config) makes a Knative Service a workload', async () => {
    const test = fixture('tests', 'knative.pullguard-test.yaml');
    const plain = await runCli(['test', test]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('- deny disallow-latest');
    const wellKnown = await runCli(['test', '--well-known-kinds', test]);
    expect(wellKnown.stdout).toContain('1 passed, 0 failed');
    expect(wellKnown.code).toBe(0);
  });

  it('reports a config file it cannot read (exit 2), rather than running without it', async () => {
    const run = await runCli([
      'test',
      '--config',
      'no-such-config.yaml',
      fixture('tests', 'knative.pullguard-test.yaml'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no-such-config\.yaml:1:1: CONFIG_INVALID cannot read the config file/);
  });

  it('writes JUnit with --format junit', async () => {
    const run = await runCli(['test', '--format', 'junit', fixture('tests', 'failing.pullguard-test.yaml')]);
    expect(run.code).toBe(1);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(run.stdout);
    expect(doc.testsuites.tests).toBe('2');
    expect(doc.testsuites.failures).toBe('2');
  });

  it('tests registry rules and pinning patches offline, from the fixtures a test declares', async () => {
    const run = await runCli(['test', fixture('registry', 'registry.pullguard-test.yaml')]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('4 passed, 0 failed');
    expect(run.code).toBe(0);
  });

  it('shows expected against actual mutations when a pinning patch differs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullguard-test-'));
    const file = join(dir, 'pin.pullguard-test.yaml');
    await writeFile(
      file,
      `apiVersion: pullguard.dev/v1
kind: PolicyTest
policies: [${fixture('registry', 'policy.yaml')}]
registry:
  nginx:1.25: sha256:${'1'.repeat(64)}
cases:
  - name: pins to another digest than expected
    namespace: shop
    manifests: { apiVersion: v1, kind: Pod, metadata: { name: web }, spec: { containers: [{ name: web, image: "nginx:1.25" }] } }
    expect:
      findings: [{ rule: require-digest }]
      mutations: [{ field: image, value: "nginx:1.25@sha256:${'2'.repeat(64)}" }]
`,
    );
    const run = await runCli(['test', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`      - set image nginx:1.25@sha256:${'2'.repeat(64)} * container *`);
    expect(run.stdout).toContain(
      `      + set image nginx:1.25@sha256:${'1'.repeat(64)} Pod/web container web (require-digest)`,
    );
  });
});
