/**
 * Plugins as users run them with the built binary: from any folder (no node_modules needed for
 * `@pullguard/sdk`), and never able to keep `pullguard check` from ending.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type CliRun, fixture } from './helpers.js';

/**
 * Far above what any case needs, even on a loaded machine (worker start-up is slow there): a run
 * still going then is a hang, and is killed. Each test's own timeout is above it.
 */
const HANG_MS = 60_000;
const TEST_MS = 90_000;

/** The built binary in `cwd`, killed (and reported as a hang) if it has not exited after HANG_MS. */
function runBounded(args: readonly string[], cwd: string): Promise<CliRun & { hung: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, HANG_MS);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, hung });
    });
    child.stdin.end();
  });
}

const POLICY = (rule: string) => `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: p }
spec:
  namespaces: ["*"]
  rules:
    - rule: ${rule}
`;

let dir: string;
beforeAll(async () => {
  // A folder outside the repository, with no node_modules: what a user's plugin folder often is.
  dir = await mkdtemp(join(tmpdir(), 'pullguard-plugin-'));
  const files: Record<string, string> = {
    'acme.mjs': `import { definePlugin, defineRule } from '@pullguard/sdk';
import { PLUGIN_API_VERSION } from '@pullguard/engine';
export default definePlugin({
  name: 'acme',
  rules: [
    defineRule({
      id: 'acme/no-ghcr',
      description: 'no images from ghcr.io',
      check: (facts, ctx) =>
        facts.image.domain === 'ghcr.io' ? ctx.fail(\`ghcr.io is not allowed (plugin API \${PLUGIN_API_VERSION})\`) : undefined,
    }),
  ],
});
`,
    'spin.mjs': `export default { name: 'spin', rules: [{ id: 'spin/forever', description: 'never returns', check() { for (;;) {} } }] };\n`,
    'deaf.mjs': `// Ignores its abort signal and keeps a timer running forever.
export default { name: 'deaf', rules: [{ id: 'deaf/wait', description: 'never answers', check: () => new Promise(() => setInterval(() => {}, 1000)) }] };
`,
    'never.mjs': 'await new Promise(() => {});\nexport default { name: "never", rules: [] };\n',
    'acme.yaml': POLICY('acme/no-ghcr'),
    'spin.yaml': POLICY('spin/forever'),
    'deaf.yaml': POLICY('deaf/wait'),
  };
  await Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(dir, name), text)));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const POD = fixture('manifests', 'clean.yaml');

describe('a plugin outside the repository', () => {
  it(
    'imports @pullguard/sdk and @pullguard/engine from the running pullguard, with no node_modules of its own',
    async () => {
      const run = await runBounded(
        ['check', '--policy', 'acme.yaml', '--plugin', './acme.mjs', '--format', 'json', POD],
        dir,
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout).findings.map((f: { message: string }) => f.message)).toEqual([
        'ghcr.io is not allowed (plugin API 1)',
      ]);
    },
    TEST_MS,
  );
});

describe('--rule-timeout bounds the whole run, whatever a plugin does', () => {
  it.each([
    ['a rule in a synchronous loop', 'spin', 'spin/forever'],
    ['a rule that ignores its abort signal and keeps a timer alive', 'deaf', 'deaf/wait'],
  ])(
    '%s: RULE_TIMEOUT, exit 1 (a blocking error finding)',
    async (_case, plugin, rule) => {
      const args = ['--policy', `${plugin}.yaml`, '--plugin', `./${plugin}.mjs`, '--rule-timeout', '300'];
      const run = await runBounded(['check', ...args, '--format', 'json', POD], dir);
      expect(run.hung).toBe(false);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout).findings.map((f: { message: string }) => f.message)).toEqual([
        `RULE_TIMEOUT: rule ${rule} did not answer within 300 ms`,
      ]);
    },
    TEST_MS,
  );

  it(
    'a plugin whose module never finishes loading: exit 2 naming the plugin',
    async () => {
      const run = await runBounded(['check', '--policy', 'acme.yaml', '--plugin', './never.mjs', POD], dir);
      expect(run.hung).toBe(false);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        'PLUGIN_LOAD_FAILED plugin "./never.mjs" could not be loaded: it never finished loading: a top-level await in its module never settled',
      );
    },
    TEST_MS,
  );
});
