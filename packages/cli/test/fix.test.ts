import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffLines } from 'diff';
import { describe, expect, it } from 'vitest';
import { CORPUS, fixture, itWithCorpus, runCli } from './helpers.js';

const POLICY = ['--policy', fixture('policies')];

async function tempCopy(...names: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pullguard-fix-'));
  for (const name of names) await cp(fixture('manifests', name), join(dir, name), { recursive: true });
  return dir;
}

/** Every changed line of a fix is an added (or rewritten) pull-policy line. */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const removed: string[] = [];
  const added: string[] = [];
  for (const part of diffLines(before, after)) {
    const lines = part.value.split(/\r?\n/).filter((l) => l !== '');
    if (part.removed) removed.push(...lines);
    if (part.added) added.push(...lines);
  }
  return { removed, added };
}

describe('pullguard fix', () => {
  it('--diff prints a unified diff and changes nothing', async () => {
    const dir = await tempCopy('latest.yaml');
    const before = await readFile(join(dir, 'latest.yaml'), 'utf8');
    const run = await runCli(['fix', ...POLICY, '--diff', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('+++ b/');
    expect(run.stdout).toContain('+          imagePullPolicy: Always');
    expect(run.stderr).toContain('would set 1 field in 1 file');
    expect(await readFile(join(dir, 'latest.yaml'), 'utf8')).toBe(before);
  });

  it('--write adds only the pull-policy line, and the finding is gone afterwards', async () => {
    const dir = await tempCopy('latest.yaml');
    const file = join(dir, 'latest.yaml');
    const before = await readFile(file, 'utf8');
    const run = await runCli(['fix', ...POLICY, '--write', file]);
    expect(run).toMatchObject({ code: 0, stdout: '' });
    const after = await readFile(file, 'utf8');
    expect(changedLines(before, after)).toEqual({
      removed: [],
      added: ['          imagePullPolicy: Always'],
    });
    const check = await runCli(['check', ...POLICY, '--format', 'json', file]);
    const rules = JSON.parse(check.stdout).findings.map((f: { rule: string }) => f.rule);
    expect(rules).not.toContain('require-explicit-pull-policy');
  });

  it('edits JSON files and keeps them valid JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullguard-fix-'));
    const file = join(dir, 'pod.json');
    await writeFile(
      file,
      `${JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'a', image: 'alpine:3.20' }] } }, null, 2)}\n`,
    );
    const run = await runCli(['fix', ...POLICY, '--write', file]);
    expect(run.code).toBe(0);
    const pod = JSON.parse(await readFile(file, 'utf8'));
    expect(pod.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
  });

  it('needs exactly one of --write and --diff (exit 2)', async () => {
    for (const args of [
      ['fix', fixture('manifests')],
      ['fix', '--write', '--diff', fixture('manifests')],
    ]) {
      const run = await runCli(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--write/);
    }
  });

  it('names --pin-digests in --help', async () => {
    const run = await runCli(['fix', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--pin-digests +rewrite image: name:tag to name:tag@sha256:/);
    expect(run.stdout).toMatch(/--registry-fixtures <file>/);
  });

  describe('--pin-digests', () => {
    const FIXTURES = ['--registry-fixtures', fixture('registry', 'fixtures.yaml')];
    const NEW = 'sha256:d9e677b26ffd7870a383e56906ba6b259a295ac70f20f43b332173058acb96f8';
    const API = 'sha256:92c1dde69d49fe27a930a40a71acc570f4d63b62c3bf6ef2e783a55d27155d46';

    async function copyOf(name: string): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), 'pullguard-pin-'));
      await cp(fixture('registry', name), join(dir, name));
      return join(dir, name);
    }

    it('--write pins every unpinned image, tag, comment and quoting kept; pinned images untouched', async () => {
      const file = await copyOf('web.yaml');
      const before = await readFile(file, 'utf8');
      const run = await runCli(['fix', ...POLICY, ...FIXTURES, '--pin-digests', '--write', file]);
      expect(run).toMatchObject({ code: 0, stdout: '' });
      expect(run.stderr).toBe('pin 2 images and set 0 fields in 1 file\n');
      expect(changedLines(before, await readFile(file, 'utf8'))).toEqual({
        removed: [
          '          image: nginx:1.25   # the stable line',
          "          image: 'ghcr.io/acme/api:2.3'",
        ],
        added: [
          `          image: nginx:1.25@${NEW}   # the stable line`,
          `          image: 'ghcr.io/acme/api:2.3@${API}'`,
        ],
      });
    });

    it('--diff changes nothing; pull-policy rules judge the pinned images (a digest needs no Always)', async () => {
      const file = await copyOf('web.yaml');
      const prod = (await readFile(file, 'utf8')).replace('namespace: shop', 'namespace: prod-shop');
      await writeFile(file, prod);
      const unpinned = await runCli(['fix', ...POLICY, '--diff', file]);
      expect(unpinned.stdout).toContain('+          imagePullPolicy: Always');
      const run = await runCli(['fix', ...POLICY, ...FIXTURES, '--pin-digests', '--diff', file]);
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain('imagePullPolicy: Always');
      expect(run.stdout).toContain(`+          image: nginx:1.25@${NEW}   # the stable line`);
      expect(run.stderr).toBe('would pin 2 images and set 0 fields in 1 file\n');
      expect(await readFile(file, 'utf8')).toBe(prod);
    });

    it('leaves a file with an image it cannot pin untouched and exits 2, naming the image and host', async () => {
      const file = await copyOf('private.yaml');
      const before = await readFile(file, 'utf8');
      const run = await runCli(['fix', ...POLICY, ...FIXTURES, '--pin-digests', '--write', file]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /private\.yaml:10:14: REGISTRY_ERROR cannot pin private\.acme\.io\/tools:3: private\.acme\.io: unauthorized: .*\(run docker login private\.acme\.io, or pass --registry-auth FILE\); the file is left unchanged/,
      );
      expect(await readFile(file, 'utf8')).toBe(before);
    });

    it('needs registry access: --offline is a usage error', async () => {
      const run = await runCli([
        'fix',
        ...POLICY,
        '--offline',
        '--pin-digests',
        '--diff',
        fixture('registry', 'web.yaml'),
      ]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--pin-digests asks registries for digests: it cannot run with --offline');
    });
  });

  itWithCorpus(
    'on the real corpus changes nothing but pull-policy lines',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'pullguard-corpus-'));
      await cp(CORPUS, dir, { recursive: true });
      const files = (await readdir(dir, { recursive: true })).filter((f) => /\.(ya?ml|json)$/.test(f));
      const before = new Map(
        await Promise.all(files.map(async (f) => [f, await readFile(join(dir, f), 'utf8')] as const)),
      );
      const policy = join(dir, '..', `${dir.split('/').pop()}-policy.yaml`);
      await writeFile(
        policy,
        'apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata: {name: fix}\nspec:\n  namespaces: ["*"]\n  rules:\n    - rule: require-explicit-pull-policy\n    - rule: mutable-tags-require-always\n',
      );
      const run = await runCli(['fix', '--policy', policy, '--write', dir]);
      expect(run.stderr).not.toMatch(/INTERNAL|cannot fix/);
      let changed = 0;
      for (const [file, text] of before) {
        const after = await readFile(join(dir, file), 'utf8');
        if (after === text) continue;
        changed++;
        const { removed, added } = changedLines(text, after);
        for (const line of [...removed, ...added])
          expect(line, file).toMatch(/^\s*"?(imagePullPolicy|pullPolicy)"?: /);
        expect(added.length, file).toBeGreaterThanOrEqual(removed.length);
      }
      expect(changed).toBeGreaterThan(50);
      // Fixed files load as before, and the fixed rules no longer fire.
      const check = await runCli([
        'check',
        '--policy',
        policy,
        '--format',
        'json',
        '--fail-on',
        'never',
        dir,
      ]);
      const report = JSON.parse(check.stdout);
      const firing = report.findings.filter(
        (f: { fix: unknown; exemption: unknown }) => f.fix !== null && f.exemption === null,
      );
      expect(firing).toEqual([]);
    },
    90_000,
  );
});
