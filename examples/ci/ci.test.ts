import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EXAMPLE_PLUGIN_FLAGS, repo } from '../test-support.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const cli = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
const workflow = parse(readFileSync(here('pullguard.yml'), 'utf8')) as {
  on: unknown;
  jobs: Record<string, { permissions?: Record<string, string>; steps: Step[] }>;
};
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const readmeSnippets = [...readFileSync(here('README.md'), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map(
  (m) => parse(m[1] ?? '') as Step[],
);

/** The `--flags` of every `pullguard check` command in a step's script. */
function checkFlags(run: string | undefined): string[] {
  const command = run?.match(/pullguard(?:\/cli@\S+)? check[\s\S]*/)?.[0];
  return command ? [...command.matchAll(/(?<=\s)--[a-z-]+/g)].map((m) => m[0]) : [];
}

/** The flags `pullguard check --help` documents: the CLI itself is the reference. */
function cliCheckFlags(): Set<string> {
  const help = execFileSync(process.execPath, [cli, 'check', '--help'], { encoding: 'utf8' });
  return new Set([...help.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]));
}

describe('the GitHub Actions workflow example', () => {
  it('parses, and uploads SARIF with the permission code scanning needs', () => {
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.with?.['sarif_file']).toBe('pullguard.sarif');
    expect(Object.values(workflow.jobs)[0]?.permissions?.['security-events']).toBe('write');
  });

  it('writes the SARIF file that it uploads', () => {
    const sarifRun = steps.find((s) => checkFlags(s.run).includes('--format') && s.run?.includes('sarif'));
    expect(sarifRun?.run).toMatch(/--format sarif\s+--output pullguard\.sarif/);
  });

  it('uses only flags that `pullguard check` has, in the workflow and in the README', () => {
    const known = cliCheckFlags();
    const used = [...steps, ...readmeSnippets.flat()].flatMap((s) => checkFlags(s.run));
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((flag) => !known.has(flag))).toEqual([]);
  });

  it('installs the CLI from the tarball `pnpm -s package-tarballs` writes (nothing is on npm yet)', () => {
    const { version } = JSON.parse(readFileSync(join(repo, 'packages/cli/package.json'), 'utf8')) as {
      version: string;
    };
    const installs = [...steps, ...readmeSnippets.flat()].filter((s) => s.run?.includes('npm install'));
    expect(installs.length).toBe(2);
    for (const step of installs) {
      expect(step.run).toMatch(new RegExp(`^npm install --global \\S+/pullguard-cli-${version}\\.tgz$`));
    }
  });

  it('uses only output formats and --fail-on values the CLI offers', () => {
    const help = execFileSync(process.execPath, [cli, 'check', '--help'], { encoding: 'utf8' });
    const scripts = [...steps, ...readmeSnippets.flat()].map((s) => s.run ?? '').join('\n');
    for (const [, value] of scripts.matchAll(/--(?:format|fail-on) (\S+)/g))
      expect(help).toContain(`"${value}"`);
  });
});

describe("the workflow's check step, run on the examples", () => {
  it('writes SARIF 2.1.0 with a result per finding, plugin rules included, and exits 1 on deny', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'pullguard-ci-')), 'pullguard.sarif');
    const args = [
      cli,
      'check',
      'examples/manifests',
      ...EXAMPLE_PLUGIN_FLAGS,
      '--namespaces-file',
      'examples/manifests/namespaces.yaml',
      '--format',
      'sarif',
      '--output',
      out,
      '--fail-on',
      'deny',
    ];
    let code = 0;
    try {
      execFileSync(process.execPath, args, { cwd: repo, stdio: 'pipe' });
    } catch (error) {
      code = (error as { status: number }).status;
    }
    expect(code).toBe(1);
    const sarif = JSON.parse(readFileSync(out, 'utf8')) as {
      version: string;
      runs: {
        results: {
          ruleId: string;
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
        }[];
      }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const results = sarif.runs[0]?.results ?? [];
    expect(results.some((r) => r.ruleId === 'team-registry/own-path')).toBe(true);
    expect(results.some((r) => r.ruleId === 'mutable-tag-owner/annotated')).toBe(true);
    const files = new Set(results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri));
    expect([...files].every((uri) => uri?.startsWith('examples/manifests/bad/'))).toBe(true);
  });
});
