import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './helpers.js';

describe('pullguard init', () => {
  it('writes a starter .pullguard/ whose policy test passes and which check then uses', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullguard-init-'));
    const run = await runCli(['init'], { cwd: dir });
    expect(run.code).toBe(0);
    for (const file of ['config.yaml', 'policies/baseline.yaml', 'tests/baseline.pullguard-test.yaml']) {
      expect(existsSync(join(dir, '.pullguard', file)), file).toBe(true);
    }
    expect(await readFile(join(dir, '.pullguard/policies/baseline.yaml'), 'utf8')).toMatch(/^# /);

    const test = await runCli(['test'], { cwd: dir });
    expect(test.stdout).toContain('3 passed, 0 failed');
    expect(test.code).toBe(0);

    const check = await runCli(['check', '--format', 'json', fixture('manifests', 'latest.yaml')], {
      cwd: dir,
    });
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout).findings[0].policy).toBe('baseline');
  });

  it('refuses to overwrite without --force (exit 2), and overwrites with it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullguard-init-'));
    await runCli(['init'], { cwd: dir });
    const again = await runCli(['init'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/refusing to overwrite .*config\.yaml.*--force/);
    expect((await runCli(['init', '--force'], { cwd: dir })).code).toBe(0);
  });
});
