import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually } from './support/eventually.js';
import { review } from './support/fixtures.js';

// The BUILT server as a real process: `node dist/main.js`. Needs `pnpm build` first
// (`pnpm test` at the root builds through turbo). Each test starts one or two Node processes,
// which takes seconds on a busy shared machine: the bound is generous (no test waits for it).
vi.setConfig({ testTimeout: 90_000 });
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const main = join(packageDir, 'dist', 'main.js');
const examplePolicies = fileURLToPath(new URL('../../../examples/policies', import.meta.url));
// The examples' namespaces with their labels (the example tenant-payments policy selects by label).
const exampleNamespaces = fileURLToPath(
  new URL('../../../examples/manifests/namespaces.yaml', import.meta.url),
);
const TOKEN = 'e2e-admin-token';

interface Running {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  exit: Promise<number | null>;
}

const running: Running[] = [];
let dir: string;

beforeAll(() => {
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`pnpm build\` first`);
  dir = mkdtempSync(join(tmpdir(), 'pullguard-e2e-'));
});

afterEach(() => {
  for (const r of running.splice(0)) r.child.kill('SIGKILL');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the server on a free port (port 0) and resolves with the URL it prints. */
async function start(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [main, '--host', '127.0.0.1', '--port', '0', ...args], {
    cwd: dir,
    env: { ...process.env, PULLGUARD_ADMIN_TOKEN: TOKEN, PULLGUARD_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      stderr += d;
      const m = /listening on (\S+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    void exit.then((code) => reject(new Error(`server exited (${code}) before listening:\n${stderr}`)));
  });
  const r = { child, url, stdout: () => stdout, exit };
  running.push(r);
  return r;
}

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON answers
type Json = any;

async function json(url: string, init?: RequestInit): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json() };
}

/** Runs the server to its exit (one that does not start); resolves with the exit code and stderr. */
async function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [main, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stderr };
}

async function stop(r: Running): Promise<number | null> {
  r.child.kill('SIGTERM');
  return r.exit;
}

describe('the built server over HTTP', () => {
  it('serves, hot-reloads valid and invalid policies, and stops cleanly on SIGTERM', async () => {
    const policies = join(dir, 'http-policies');
    cpSync(examplePolicies, policies, { recursive: true });
    const server = await start(['--policy', policies, '--namespaces-file', exampleNamespaces]);

    const ready = await json(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      ready: true,
      policies: 4,
      lastReload: { ok: true, trigger: 'startup' },
    });
    const first = ready.body.fingerprint as string;

    const body = review('pod-create');
    body.request['namespace'] = 'prod-a';
    const validate = await json(`${server.url}/v1/admission/validate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(validate.status).toBe(200);
    expect(validate.body.response).toMatchObject({
      uid: body.request.uid,
      allowed: false,
      status: { code: 403, message: expect.stringContaining('require-digest') },
    });

    // A valid change: swapped in atomically.
    writeFileSync(
      join(policies, 'extra.yaml'),
      'apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata:\n  name: extra\nspec:\n  namespaces: ["e2e-*"]\n  rules:\n    - rule: require-digest\n',
    );
    const reloaded = await eventually(async () => {
      const r = await json(`${server.url}/readyz`);
      expect(r.body.fingerprint).not.toBe(first);
      expect(r.body).toMatchObject({ ready: true, policies: 5, lastReload: { ok: true, trigger: 'watch' } });
      return r.body.fingerprint as string;
    });

    // An invalid change: logged with file:line, visible in /readyz and metrics; the last good set keeps serving.
    writeFileSync(
      join(policies, 'broken.yaml'),
      'apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata:\n  name: broken\nspec:\n  rules: [\n',
    );
    await eventually(async () => {
      const r = await json(`${server.url}/readyz`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        ready: true,
        fingerprint: reloaded,
        lastReload: { ok: false, trigger: 'watch' },
      });
      expect(r.body.lastReload.errors[0].location.file).toMatch(/broken\.yaml$/);
    });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('pullguard_policy_last_reload_success 0');
    expect(metrics).toMatch(/pullguard_policy_reloads_total\{result="failed"\} [1-9]/);
    expect(server.stdout()).toMatch(/"msg":"policies failed to reload; the last good set keeps serving"/);
    expect(server.stdout()).toMatch(/broken\.yaml:\d+:\d+: POLICY_SYNTAX/);
    const stillServing = await json(`${server.url}/v1/policies`);
    expect(stillServing.body.fingerprint).toBe(reloaded);

    // The admin reload answers the same problem; fixing the file recovers.
    const adminReload = await json(`${server.url}/v1/policies/reload`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(adminReload.status).toBe(422);
    expect(adminReload.body.error.code).toBe('RELOAD_FAILED');
    unlinkSync(join(policies, 'broken.yaml'));
    await eventually(async () => {
      const r = await json(`${server.url}/readyz`);
      expect(r.body).toMatchObject({ fingerprint: reloaded, lastReload: { ok: true } });
    });

    expect(server.stdout()).not.toContain(TOKEN);
    expect(await stop(server)).toBe(0);
    expect(server.stdout()).toContain('"msg":"closed"');
  });

  it('exits with code 2 and says why when the configuration is wrong', async () => {
    const { code, stderr } = await run(['--port', '1']);
    expect(code).toBe(2);
    expect(stderr).toContain('CONFIG_INVALID --policy: no policy paths');
  });

  it('exits with code 2 and one line when the port is taken', async () => {
    const first = await start(['--policy', examplePolicies, '--no-watch']);
    const { port } = new URL(first.url);
    const { code, stderr } = await run(['--policy', examplePolicies, '--port', port, '--no-watch']);
    expect(code).toBe(2);
    expect(stderr).toBe(`cannot listen on 127.0.0.1:${port}: address already in use; pass --port\n`);
  });

  it('prints its flags, generated from the flag table, with --help', () => {
    const help = execFileSync(process.execPath, [main, '--help'], { encoding: 'utf8' });
    expect(help).toMatch(/^pullguard-server — REST API and Kubernetes admission webhooks/);
    for (const flag of [
      '--policy <path>',
      '--request-timeout <duration>',
      '--no-watch',
      '--watch-namespaces',
      '--client-ca <file>',
    ])
      expect(help).toContain(flag);
  });
});

describe('the built server and the kinds it checks', () => {
  /** The same image as the pod-create review's, in a Knative Service (an admission review of one). */
  function knativeServiceReview() {
    const body = review('pod-create');
    const pod = body.request.object as Json;
    body.request['namespace'] = 'prod-a';
    body.request['kind'] = { group: 'serving.knative.dev', version: 'v1', kind: 'Service' };
    body.request['resource'] = { group: 'serving.knative.dev', version: 'v1', resource: 'services' };
    body.request['object'] = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'prod-a' },
      spec: { template: { spec: { containers: pod.spec.containers } } },
    };
    return body;
  }

  async function verdict(args: string[]) {
    const server = await start([
      '--policy',
      examplePolicies,
      '--namespaces-file',
      exampleNamespaces,
      '--no-watch',
      ...args,
    ]);
    const body = knativeServiceReview();
    const answer = await json(`${server.url}/v1/admission/validate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(answer.status).toBe(200);
    return answer.body.response.allowed as boolean;
  }

  it('judges Knative, Argo Rollouts and OpenKruise workloads with --well-known-kinds, as check does', async () => {
    expect(await verdict(['--well-known-kinds'])).toBe(false);
    // Without it a CRD kind is not a workload (pullguard does not guess at CRDs unless asked).
    expect(await verdict([])).toBe(true);
  });
});

describe('the built server over HTTPS', () => {
  function certificate(name: string): void {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-keyout',
        join(dir, `${name}.key`),
        '-out',
        join(dir, `${name}.crt`),
        '-subj',
        '/CN=pullguard.e2e',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
  }

  function servedFingerprint(url: string): Promise<string> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => {
        resolve(socket.getPeerCertificate().fingerprint256);
        socket.end();
      });
      socket.on('error', reject);
    });
  }

  function pemFingerprint(file: string): string {
    const der = Buffer.from(readFileSync(file, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
    return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
  }

  it('serves HTTPS with the given certificate, picks up a rotated one, and stops cleanly', async () => {
    certificate('tls');
    const server = await start([
      '--policy',
      examplePolicies,
      '--tls-cert',
      'tls.crt',
      '--tls-key',
      'tls.key',
    ]);
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);

    const ca = readFileSync(join(dir, 'tls.crt'));
    const body = JSON.stringify(review('pod-delete'));
    const answer = await new Promise<{ status: number; body: Json }>((resolve, reject) => {
      const req = httpsRequest(
        `${server.url}/v1/admission/validate`,
        {
          method: 'POST',
          ca,
          headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (d) => {
            text += d;
          });
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(answer.status).toBe(200);
    expect(answer.body.response).toEqual({ uid: review('pod-delete').request.uid, allowed: true });
    expect(await servedFingerprint(server.url)).toBe(pemFingerprint(join(dir, 'tls.crt')));

    // Rotation: new files in place → the server serves the new certificate without a restart.
    certificate('tls');
    const rotated = pemFingerprint(join(dir, 'tls.crt'));
    await eventually(async () => expect(await servedFingerprint(server.url)).toBe(rotated));

    expect(await stop(server)).toBe(0);
  });
});
