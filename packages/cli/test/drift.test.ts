import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './helpers.js';

const FIXTURES = ['--registry-fixtures', fixture('registry', 'fixtures.yaml')];
const OLD = 'sha256:17592590f1a04dd44b81815508eef99704e4b44f8f081d1fc3200a102e1ac43d';
const NEW = 'sha256:d9e677b26ffd7870a383e56906ba6b259a295ac70f20f43b332173058acb96f8';

interface Entry {
  pod: string;
  container: string;
  state: string;
  why: string;
  runningDigest: string | null;
  tagDigest: string | null;
}

describe('pullguard drift', () => {
  it('reports each container current, drifted, pinned or unknown (why), with both digests (json)', async () => {
    const run = await runCli(['drift', ...FIXTURES, '--format', 'json', fixture('registry', 'pods.json')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { version: number; summary: unknown; containers: Entry[] };
    expect(report.version).toBe(1);
    expect(report.summary).toEqual({ containers: 6, current: 3, drifted: 1, pinned: 1, unknown: 1 });
    const byName = Object.fromEntries(report.containers.map((e) => [`${e.pod}/${e.container}`, e]));
    expect(byName['web-7d9f8-abcde/web']).toMatchObject({
      state: 'drifted',
      runningDigest: OLD,
      tagDigest: NEW,
      why: `nginx:1.25 now names ${NEW}; this container runs ${OLD}. With IfNotPresent, nodes that have the old image keep running it while new nodes pull the new one.`,
    });
    expect(byName['web-7d9f8-fghij/web']).toMatchObject({
      state: 'current',
      runningDigest: NEW,
      tagDigest: NEW,
    });
    expect(byName['web-7d9f8-abcde/api']).toMatchObject({ state: 'current' });
    expect(byName['web-7d9f8-abcde/migrate']).toMatchObject({ state: 'current' });
    expect(byName['web-7d9f8-abcde/cache']).toMatchObject({ state: 'pinned', tagDigest: null });
    expect(byName['web-7d9f8-abcde/local']).toMatchObject({
      state: 'unknown',
      why: expect.stringMatching(/image ID/),
    });
  });

  it('reads kubectl output from stdin and prints a table; nothing drifted is exit 0', async () => {
    const { readFile } = await import('node:fs/promises');
    const pods = await readFile(fixture('registry', 'current-pods.yaml'), 'utf8');
    const run = await runCli(['drift', ...FIXTURES, '-'], { input: pods });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^NAMESPACE +POD +CONTAINER +IMAGE +STATE +RUNNING +TAG NOW\n/);
    expect(run.stdout).toMatch(
      /shop +web-1 +web +nginx:1\.25 +current +sha256:d9e677b26ffd… +sha256:d9e677b26ffd…\n/,
    );
    expect(run.stdout).toContain('✔ no drift: 1 container (1 current, 0 drifted, 0 pinned, 0 unknown)');
  });

  it('says why for every container that did not stay current, under the pull policy', async () => {
    const run = await runCli(['drift', ...FIXTURES, fixture('registry', 'pods.json')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /web +nginx:1\.25 +drifted +sha256:17592590f1a0… +sha256:d9e677b26ffd…\n {4}nginx:1\.25 now names/,
    );
    expect(run.stdout).toContain('✖ drift: 6 containers (3 current, 1 drifted, 1 pinned, 1 unknown)');
  });

  it('cannot vouch for containers whose registry could not be asked: exit 2, naming the host', async () => {
    const pod = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'tools', namespace: 'shop' },
      spec: { containers: [{ name: 'tools', image: 'private.acme.io/tools:3' }] },
      status: { containerStatuses: [{ name: 'tools', imageID: `private.acme.io/tools@${OLD}` }] },
    });
    const run = await runCli(['drift', ...FIXTURES, '-'], { input: pod });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^REGISTRY_ERROR private\.acme\.io: unauthorized: .*run docker login private\.acme\.io.*1 container \(private\.acme\.io\/tools:3\) could not be checked/m,
    );
    expect(run.stdout).toContain('unknown');
  });

  it('refuses input without Pods (exit 2) and says which objects it skipped', async () => {
    const run = await runCli(['drift', ...FIXTURES, fixture('registry', 'web.yaml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('drift reads Pods with their status: 1 Deployment object skipped');
    expect(run.stderr).toMatch(/INPUT_READ_FAILED no Pods found in .*web\.yaml/);
  });

  it('with --offline resolves no tag: every tagged container is unknown', async () => {
    const run = await runCli([
      'drift',
      '--offline',
      '--format',
      'json',
      fixture('registry', 'current-pods.yaml'),
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).containers[0]).toMatchObject({
      state: 'unknown',
      why: 'the tag was not resolved: no registry access (--offline)',
    });
  });

  it('rejects bad registry flags while parsing (exit 2)', async () => {
    for (const args of [
      ['--registry-timeout', 'soon'],
      ['--plain-http', 'http://registry.local'],
      ['--offline', '--registry-fixtures', 'x.yaml'],
    ]) {
      const run = await runCli(['drift', ...args, '-'], { input: '' });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/error: option/);
    }
    const env = await runCli(['drift', fixture('registry', 'current-pods.yaml')], {
      env: { PULLGUARD_PLAIN_HTTP: 'ok.local:5000,not a host' },
    });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain(
      'CONFIG_INVALID PULLGUARD_PLAIN_HTTP: "not a host" is not HOST or HOST:PORT (no scheme, path or user) (at --plain-http)',
    );
  });
});
