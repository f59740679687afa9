import { execFileSync } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from './helpers.js';

// How `pullguard check` reads what it is given: bounded, never blocking, never skipping in silence.
const POLICY = ['--policy', fixture('policies')];
const isRoot = process.getuid?.() === 0;
// Far above a normal run, far below a hang: a run still going then is killed and fails.
const NO_HANG = { killAfterMs: 15_000 };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pullguard-inputs-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('pullguard check on inputs it cannot read (exit 2)', () => {
  it('refuses /dev/zero at once instead of reading it until memory runs out', async () => {
    const run = await runCli(['check', ...POLICY, '/dev/zero'], NO_HANG);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '/dev/zero:1:1: INPUT_READ_FAILED cannot read /dev/zero: not a regular file (a character device); give - to read standard input',
    );
  });

  it('refuses a FIFO instead of waiting forever for a writer', async () => {
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const run = await runCli(['check', ...POLICY, fifo], NO_HANG);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`INPUT_READ_FAILED cannot read ${fifo}: not a regular file (a FIFO)`);
  });

  it('fails on a symbolic link loop inside a checked directory, as on the same path given directly', async () => {
    const tree = join(dir, 'tree');
    await mkdir(join(tree, 'sub'), { recursive: true });
    await copyFile(fixture('manifests', 'clean.yaml'), join(tree, 'clean.yaml'));
    await symlink(tree, join(tree, 'sub', 'back'));
    await symlink('self.yaml', join(tree, 'self.yaml'));
    const run = await runCli(['check', ...POLICY, tree], NO_HANG);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `INPUT_READ_FAILED cannot read ${join(tree, 'self.yaml')}: a symbolic link loop`,
    );
    expect(run.stderr).toContain(
      `INPUT_READ_FAILED cannot read ${join(tree, 'sub', 'back')}: a symbolic link loop (it leads back to ${tree})`,
    );
    const direct = await runCli(['check', ...POLICY, join(tree, 'self.yaml')], NO_HANG);
    expect(direct.code).toBe(2);
  });

  it.skipIf(isRoot)(
    'fails on a file in a checked directory that it may not read (skipped as root, who may read it)',
    async () => {
      const tree = join(dir, 'locked');
      await mkdir(tree);
      await copyFile(fixture('manifests', 'clean.yaml'), join(tree, 'secret.yaml'));
      await chmod(join(tree, 'secret.yaml'), 0o000);
      const run = await runCli(['check', ...POLICY, tree], NO_HANG);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('INPUT_READ_FAILED');
      expect(run.stderr).toContain('permission denied');
    },
  );

  it('fails on a link to nothing in a checked directory (an unreadable entry root cannot read either)', async () => {
    const tree = join(dir, 'dangling');
    await mkdir(tree);
    await copyFile(fixture('manifests', 'clean.yaml'), join(tree, 'clean.yaml'));
    await symlink('gone.yaml', join(tree, 'gone-link.yaml'));
    const run = await runCli(['check', ...POLICY, tree], NO_HANG);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `INPUT_READ_FAILED cannot read ${join(tree, 'gone-link.yaml')}: a symbolic link whose target does not exist`,
    );
  });

  it('still reads stdin with -, within the size limit (manifests.limits.maxFileBytes)', async () => {
    const clean = await readFile(fixture('manifests', 'clean.yaml'), 'utf8');
    const ok = await runCli(['check', ...POLICY, '-'], { input: clean, ...NO_HANG });
    expect(ok.code).toBe(0);
    const config = join(dir, 'config.yaml');
    await writeFile(
      config,
      `policies: [${fixture('policies')}]\nmanifests:\n  limits: { maxFileBytes: 64 }\n`,
    );
    const capped = await runCli(['check', '--config', config, '-'], { input: clean, ...NO_HANG });
    expect(capped.code).toBe(2);
    expect(capped.stderr).toContain(
      'INPUT_READ_FAILED cannot read <stdin>: it is larger than the limit of 64 bytes',
    );
  });
});
