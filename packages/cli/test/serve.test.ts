import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { admissionReview, BIN, CLI_DIR, fixture, startServe } from './helpers.js';

/** Whether the validating webhook admits a Knative Service running nginx:latest. */
async function admitsKnativeService(url: string): Promise<boolean> {
  const object = {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:latest' }] } } },
  };
  const review = admissionReview(
    { group: 'serving.knative.dev', version: 'v1', kind: 'Service', resource: 'services' },
    object,
  );
  const answer = await fetch(`${url}/v1/admission/validate`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(review),
  });
  expect(answer.status).toBe(200);
  return ((await answer.json()) as { response: { allowed: boolean } }).response.allowed;
}

describe('pullguard serve', () => {
  it('serves the policies given with the CLI options, and stops cleanly on SIGTERM', async () => {
    const server = await startServe(['--policy', fixture('policies')]);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    const policies = (await (await fetch(`${server.url}/v1/policies`)).json()) as {
      policies: { name: string }[];
    };
    expect(policies.policies.map((p) => p.name).sort()).toEqual(['prod', 'shop']);
    expect(await server.stop()).toBe(0);
  }, 90_000);

  it('judges the kinds check judges: --well-known-kinds reaches admission', async () => {
    const plain = await startServe(['--policy', fixture('policies')]);
    expect(await admitsKnativeService(plain.url)).toBe(true);
    await plain.stop();
    const wellKnown = await startServe(['--policy', fixture('policies'), '--well-known-kinds']);
    expect(await admitsKnativeService(wellKnown.url)).toBe(false);
    await wellKnown.stop();
  }, 90_000);

  it('loads a plugin from a folder without node_modules that imports @pullguard/sdk (the CLI offers its own)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullguard-serve-plugin-'));
    await writeFile(
      join(dir, 'acme.mjs'),
      "import { definePlugin } from '@pullguard/sdk';\n" +
        "export default definePlugin({ name: 'acme', rules: [{ id: 'acme/all', description: 'flags every image', check: (f, ctx) => ctx.fail('saw ' + f.image.raw) }] });\n",
    );
    await writeFile(
      join(dir, 'policy.yaml'),
      'apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata: { name: p }\nspec: { namespaces: ["*"], rules: [{ rule: acme/all }] }\n',
    );
    const server = await startServe([
      '--policy',
      join(dir, 'policy.yaml'),
      '--plugin',
      join(dir, 'acme.mjs'),
    ]);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
    };
    const answer = await fetch(`${server.url}/v1/evaluate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ objects: [pod] }),
    });
    const report = (await answer.json()) as { findings: { message: string }[] };
    expect(report.findings.map((f) => f.message)).toEqual(['saw nginx:1.27']);
    expect(await server.stop()).toBe(0);
    await rm(dir, { recursive: true, force: true });
  }, 90_000);

  it('rejects a bad server flag with exit 2', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'serve', '--policy', fixture('policies'), '--failure-mode', 'maybe'],
      { cwd: CLI_DIR },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--failure-mode <mode>.*expected "closed" or "open", got "maybe"/);
  });

  it('says in one line that the port is taken, and exits 2 without a stack trace', async () => {
    const first = await startServe(['--policy', fixture('policies')]);
    const { port } = new URL(first.url);
    const child = spawn(process.execPath, [BIN, 'serve', '--policy', fixture('policies'), '--port', port], {
      cwd: CLI_DIR,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    await first.stop();
    expect(code).toBe(2);
    expect(stderr).toBe(`cannot listen on 127.0.0.1:${port}: address already in use; pass --port\n`);
  }, 90_000);

  it('offers the server flags from the server’s own table (name, value, default, environment)', async () => {
    const { stdout } = await new Promise<{ stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'serve', '--help'], { cwd: CLI_DIR });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
      });
      child.on('exit', () => resolve({ stdout: out }));
    });
    expect(stdout).toContain('--request-timeout <duration>');
    expect(stdout).toMatch(/default 10s; env\s+PULLGUARD_REQUEST_TIMEOUT/);
    for (const flag of ['--watch-namespaces', '--client-ca <file>', '--unknown-labels <mode>', '--no-watch'])
      expect(stdout).toContain(flag);
    // The registry flags, with admission's own lookup budget.
    expect(stdout).toMatch(
      /--registry-timeout <duration>[\s\S]*default 2s, at most half of\s+--request-timeout/,
    );
    for (const flag of [
      '--registry-auth <file>',
      '--registry-ca <file>',
      '--plain-http <host[:port]>',
      '--offline',
    ])
      expect(stdout).toContain(flag);
  });

  it('passes the registry flags to the server, which refuses a lookup budget as long as the deadline', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'serve', '--policy', fixture('policies'), '--request-timeout', '1s', '--registry-timeout', '1s'],
      { cwd: CLI_DIR },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    expect(await new Promise<number | null>((resolve) => child.on('exit', resolve))).toBe(2);
    expect(stderr).toContain(
      'CONFIG_INVALID --registry-timeout: must be shorter than --request-timeout (1000 ms)',
    );
  });
});

/**
 * The source modules a process loaded, from the URLs record-imports.mjs logged: a bundle file
 * (scripts/bundle.mjs) stands for the sources it holds (dist/bundle-meta.json), any other file for
 * itself. Paths are relative to the cli package (`../engine/dist/index.js`, `src/commands/check.ts`).
 */
async function loadedSources(log: string): Promise<string[]> {
  const meta = JSON.parse(
    await readFile(join(CLI_DIR, 'dist', 'bundle-meta.json'), 'utf8').catch(() => '{}'),
  ) as {
    outputs?: Record<string, string[]>;
  };
  const urls = (await readFile(log, 'utf8')).split('\n').filter((u) => u.startsWith('file:'));
  return urls.flatMap((url) => {
    const path = relative(CLI_DIR, fileURLToPath(url)).split(sep).join('/');
    const bundled = path.startsWith('dist/') ? meta.outputs?.[path.slice('dist/'.length)] : undefined;
    return bundled ?? [path];
  });
}

async function sourcesLoadedBy(args: readonly string[]): Promise<string[]> {
  const log = join(await mkdtemp(join(tmpdir(), 'pullguard-imports-')), 'imports.txt');
  const child = spawn(process.execPath, ['--import', fixture('record-imports.mjs'), BIN, ...args], {
    cwd: CLI_DIR,
    env: { ...process.env, PULLGUARD_IMPORT_LOG: log },
    stdio: 'ignore',
  });
  expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
  return loadedSources(log);
}

describe('start-up', () => {
  it('check never loads the server or Express', async () => {
    const loaded = (
      await sourcesLoadedBy(['check', '--policy', fixture('policies'), fixture('manifests', 'clean.yaml')])
    ).join('\n');
    expect(loaded).toMatch(/(^|\/)engine\/dist\/index\.js$/m);
    expect(loaded).toMatch(/commands\/check\.[jt]s$/m);
    // The server's flag table (data, bundled into the binary for `serve --help`) is all of it.
    expect(loaded).not.toMatch(
      /\/server\/dist\/(?!flags\/)|\/express\/|\/cli-progress\/|commands\/serve\.[jt]s$/m,
    );
  });

  it('--version loads neither the engine nor any command', async () => {
    const loaded = (await sourcesLoadedBy(['--version'])).join('\n');
    expect(loaded).toMatch(/(^|\/)program\.[jt]s$/m);
    expect(loaded).not.toMatch(/engine\/dist\/|commands\/(check|explain-\w+|fix|test|serve|init)\.[jt]s$/m);
  });
});
