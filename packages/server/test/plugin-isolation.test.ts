/**
 * The built server as a real process with a plugin rule that never returns: admission requests and
 * /healthz are answered while it spins and after, and SIGTERM still ends the server. A plugin
 * whose module never finishes loading stops start-up with a message naming it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { review } from './support/fixtures.js';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const children: ChildProcess[] = [];
let dir: string;

beforeAll(() => {
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`pnpm build\` first`);
  dir = mkdtempSync(join(tmpdir(), 'pullguard-plugin-isolation-'));
  writeFileSync(
    join(dir, 'spin.mjs'),
    "import { PLUGIN_API_VERSION } from '@pullguard/engine';\n" +
      'export default { name: "spin", apiVersion: PLUGIN_API_VERSION, rules: [{ id: "spin/forever", description: "never returns", deterministic: false, check() { for (;;) {} } }] };\n',
  );
  writeFileSync(
    join(dir, 'never.mjs'),
    'await new Promise(() => {});\nexport default { name: "never", rules: [] };\n',
  );
  writeFileSync(
    join(dir, 'policy.yaml'),
    'apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata: { name: p }\nspec:\n  namespaces: ["*"]\n  rules:\n    - rule: spin/forever\n',
  );
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `node dist/main.js` on port 0; `listening` resolves with its URL, `exit` with its exit code and stderr. */
function serve(args: string[]) {
  const child = spawn(process.execPath, [main, '--host', '127.0.0.1', '--port', '0', ...args], {
    cwd: dir,
    env: { ...process.env, PULLGUARD_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr })),
  );
  const listening = new Promise<string>((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      const url = /listening on (\S+)/.exec(stderr)?.[1];
      if (url) resolve(url);
    });
    void exit.then(({ code }) =>
      reject(new Error(`the server exited (${code}) before listening:\n${stderr}`)),
    );
  });
  return { child, listening, exit };
}

const admit = (url: string) =>
  fetch(`${url}/v1/admission/validate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(review('pod-create')),
  }).then(async (res) => ({
    status: res.status,
    body: (await res.json()) as { response: Record<string, unknown> },
  }));

describe('a plugin rule in a synchronous loop', () => {
  it('is denied with RULE_TIMEOUT while /healthz answers; the server keeps serving and exits on SIGTERM', async () => {
    const server = serve(['--policy', 'policy.yaml', '--plugin', './spin.mjs', '--rule-timeout', '1000']);
    const url = await server.listening;

    const spinning = admit(url);
    // Asked while the rule spins in its worker (before, in-process, no request got an answer at all).
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);

    const first = await spinning;
    expect(first.status).toBe(200);
    expect(first.body.response).toMatchObject({ allowed: false });
    expect(JSON.stringify(first.body.response)).toContain(
      'RULE_TIMEOUT: rule spin/forever did not answer within 1000 ms',
    );

    // After: another request is answered — RULE_TIMEOUT again from a replacement worker, or, if
    // starting that worker outlasts the request timeout on a loaded machine, the request's own
    // deadline (fail closed) — and /healthz still is.
    const second = await admit(url);
    expect(second.status).toBe(200);
    expect(second.body.response).toMatchObject({ allowed: false });
    expect(JSON.stringify(second.body.response)).toMatch(/RULE_TIMEOUT|did not finish within/);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    // SIGTERM while a rule spins: the server still closes and exits 0.
    const third = admit(url).catch(() => undefined);
    server.child.kill('SIGTERM');
    expect((await server.exit).code).toBe(0);
    await third;
    // Generous: every spin costs a rule timeout and a worker's restart, slow on a loaded machine.
  }, 120_000);
});

describe('a plugin whose module never finishes loading', () => {
  it('stops start-up: exit 2 with a message naming the plugin', async () => {
    const server = serve(['--policy', 'policy.yaml', '--plugin', './never.mjs']);
    server.listening.catch(() => undefined);
    const { code, stderr } = await server.exit;
    expect(code).toBe(2);
    expect(stderr).toContain(
      'PLUGIN_LOAD_FAILED plugin "./never.mjs" could not be loaded: it never finished loading: a top-level await in its module never settled',
    );
  }, 60_000);
});
