/** What `pullguard check` prints for people: compact lines, --min-action, per-rule counts, the summary with -o. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './helpers.js';

const POLICY = ['--policy', fixture('policies')];
const latest = fixture('manifests', 'latest.yaml');
const SUMMARY =
  /^✖ 1 blocking finding \(1 deny, 1 warn, 0 audit, 0 exempted\) in 1 file, 1 workload, 2 images$/m;

describe('--format compact', () => {
  it('prints one line per finding: file:line:col action rule image message; the summary on stderr', async () => {
    const run = await runCli(['check', ...POLICY, '--format', 'compact', latest]);
    expect(run.code).toBe(1);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^test\/__fixtures__\/manifests\/latest\.yaml:15:18 deny disallow-latest nginx nginx has no tag and no digest: /,
      ),
      expect.stringMatching(
        /^test\/__fixtures__\/manifests\/latest\.yaml:15:18 warn require-explicit-pull-policy nginx /,
      ),
    ]);
    expect(run.stderr).toMatch(SUMMARY);
  });
});

describe('--min-action', () => {
  it('shows only findings of that action or stronger; counts, blocking and the exit code cover them all', async () => {
    const deny = await runCli([
      'check',
      ...POLICY,
      '--min-action',
      'deny',
      '--fail-on',
      'warn',
      '--format',
      'json',
      latest,
    ]);
    const report = JSON.parse(deny.stdout);
    expect(report.findings.map((f: { action: string }) => f.action)).toEqual(['deny']);
    expect(report.blocking).toBe(2);
    expect(report.summary.findings).toMatchObject({ deny: 1, warn: 1 });
    expect(deny.code).toBe(1);
    const table = await runCli(['check', ...POLICY, '--min-action', 'deny', latest]);
    expect(table.stdout).not.toMatch(/^ {6}warn/m);
    expect(table.stdout).toMatch(/^ {6}deny {3}disallow-latest/m);
    expect(table.stdout).toMatch(SUMMARY);
    const all = await runCli(['check', ...POLICY, '--min-action', 'audit', '--format', 'json', latest]);
    expect(JSON.parse(all.stdout).findings).toHaveLength(2);
  });

  it('rejects an unknown action (exit 2)', async () => {
    const run = await runCli(['check', ...POLICY, '--min-action', 'error', latest]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--min-action.*Allowed choices are deny, warn, audit/);
  });
});

describe('per-rule counts', () => {
  it('close the table above the summary line, and are in the JSON summary', async () => {
    const run = await runCli(['check', ...POLICY, latest]);
    expect(run.stdout).toMatch(
      /\nFindings by rule\n {2}disallow-latest {15}1 deny\n {2}require-explicit-pull-policy {2}1 warn\n✖ 1 blocking finding/,
    );
    const json = JSON.parse((await runCli(['check', ...POLICY, '--format', 'json', latest])).stdout);
    expect(json.summary.rules).toEqual({
      'disallow-latest': { deny: 1, warn: 0, audit: 0, exempted: 0, errors: 0 },
      'require-explicit-pull-policy': { deny: 0, warn: 1, audit: 0, exempted: 0, errors: 0 },
    });
  });
});

describe('-o FILE', () => {
  it('writes the report to the file and the summary to the terminal (stderr), in any format', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullguard-out-'));
    for (const format of ['table', 'json', 'sarif']) {
      const out = join(dir, `report.${format}`);
      const run = await runCli(['check', ...POLICY, '--format', format, '-o', out, latest]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(SUMMARY);
      expect(run.stderr).toContain('Findings by rule');
      expect(await readFile(out, 'utf8')).not.toBe('');
    }
    const quiet = await runCli(['check', ...POLICY, '-q', '-o', join(dir, 'quiet.txt'), latest]);
    expect(quiet.stderr).toBe('');
  });
});
