/**
 * pullguard as a user outside this repository gets it: the packages packed into tarballs
 * (`pnpm -s package-tarballs DIR`), the CLI installed globally into a temporary prefix, and the
 * engine, registry client and SDK installed into a fresh app. Nothing here may see the workspace: every command runs
 * in a temporary directory, and npm fetches the public dependencies from the registry (its cache
 * makes a second run fast).
 */
import { type ChildProcess, execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeKubeApiServer } from '../../server/test/support/fake-kube-apiserver.js';
import { podReview, REPO_ROOT, startServe } from './helpers.js';

const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'pullguard-install-'));
const tarballs = join(scratch, 'tarballs');
const prefix = join(scratch, 'prefix');
const app = join(scratch, 'app');
const elsewhere = mkdtempSync(join(scratch, 'cwd-'));
const example = (path: string) => join(REPO_ROOT, 'examples', path);

/**
 * npm with the environment of a user's shell: the variables pnpm sets for the scripts it runs
 * (`npm_config_*`, `npm_package_*`…) would reconfigure npm; the registry and cache settings stay.
 */
function userEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_registry', 'npm_config_cache', 'npm_config_userconfig']);
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(npm|pnpm)_/i.test(key) || keep.has(key)),
  );
  delete env['FORCE_COLOR'];
  return env;
}

/** One npm step's limit; the hook's covers packing and both installs. */
const NPM_STEP_MS = 240_000;

/**
 * npm, bounded: a registry that stalls fails this step with npm's own output, instead of the
 * whole hook timing out with nothing to show (fetch retries stay npm's, each fetch gets 2 min).
 */
async function npm(args: readonly string[], cwd: string) {
  const started = Date.now();
  try {
    return await run(
      'npm',
      [...args, '--no-fund', '--no-audit', '--loglevel=http', '--fetch-timeout=120000'],
      {
        cwd,
        env: userEnv(),
        maxBuffer: 16 * 1024 * 1024,
        timeout: NPM_STEP_MS,
        killSignal: 'SIGKILL',
      },
    );
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; killed?: boolean };
    const after = `${Math.round((Date.now() - started) / 1000)} s`;
    throw new Error(
      `npm ${args.join(' ')} ${e.killed ? `was stopped after ${after}` : `failed after ${after}`}\n${e.stderr ?? ''}${e.stdout ?? ''}`,
    );
  }
}

const pullguardBin = join(prefix, 'bin', 'pullguard');
const installedCli = join(prefix, 'lib', 'node_modules', '@pullguard', 'cli');

async function pullguard(args: readonly string[]) {
  try {
    const { stdout, stderr } = await run(pullguardBin, [...args], { cwd: elsewhere, env: userEnv() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let server: ChildProcess | undefined;
let imageServer: ChildProcess | undefined;

beforeAll(async () => {
  const packed = await run(
    process.execPath,
    [join(REPO_ROOT, 'scripts', 'package-tarballs.mjs'), tarballs, '--no-build'],
    { cwd: REPO_ROOT, timeout: NPM_STEP_MS, killSignal: 'SIGKILL' },
  );
  const files = packed.stdout.trim().split('\n');
  expect(files.map((f) => f.slice(tarballs.length + 1))).toEqual([
    'pullguard-engine-0.1.0.tgz',
    'pullguard-registry-0.1.0.tgz',
    'pullguard-sdk-0.1.0.tgz',
    'pullguard-server-0.1.0.tgz',
    'pullguard-cli-0.1.0.tgz',
  ]);
  await npm(
    ['install', '--global', '--prefix', prefix, join(tarballs, 'pullguard-cli-0.1.0.tgz')],
    elsewhere,
  );
  mkdirSync(app);
  await writeFile(join(app, 'package.json'), '{ "name": "app", "private": true, "type": "module" }\n');
  await npm(
    ['install', ...['engine', 'registry', 'sdk'].map((p) => join(tarballs, `pullguard-${p}-0.1.0.tgz`))],
    app,
  );
}, 600_000);

afterAll(() => {
  // Its own process group (detached): the server goes even if a test failed half-way.
  for (const child of [server, imageServer]) {
    if (child?.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  }
  rmSync(scratch, { recursive: true, force: true });
});

describe('the CLI installed globally from its tarball', () => {
  it('depends on public packages only', async () => {
    const pkg = JSON.parse(await readFile(join(installedCli, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies).filter((name) => name.startsWith('@pullguard/'))).toEqual([]);
  });

  it('checks manifests: findings and exit 1 on a deny, exit 0 on clean ones', async () => {
    const bad = await pullguard([
      'check',
      '--policy',
      example('policies'),
      '--namespaces-file',
      example('manifests/namespaces.yaml'),
      example('manifests/bad/prod-a-latest.yaml'),
    ]);
    expect(bad.stderr).toBe('');
    expect(bad.stdout).toMatch(/deny {3}require-digest {2}17:18 \[production\]/);
    expect(bad.stdout).toMatch(/✖ 3 blocking findings/);
    expect(bad.code).toBe(1);
    const good = await pullguard([
      'check',
      '--policy',
      example('policies'),
      '--namespaces-file',
      example('manifests/namespaces.yaml'),
      example('manifests/good'),
    ]);
    expect(good.stdout).toMatch(/✔ no blocking findings/);
    expect(good.code).toBe(0);
  });

  it('uses its bundled baseline policy, and runs `init` and `test` from its templates', async () => {
    const baseline = await pullguard(['explain', '--namespace', 'shop']);
    expect(baseline.stdout).toMatch(/policies from the bundled baseline/);
    expect(baseline.stdout).toMatch(/rule deny {2}disallow-latest/);
    const project = mkdtempSync(join(scratch, 'project-'));
    await run(pullguardBin, ['init', '--dir', project], { cwd: elsewhere, env: userEnv() });
    const tests = await run(pullguardBin, ['test'], { cwd: project, env: userEnv() });
    expect(tests.stdout).toMatch(/3 passed, 0 failed/);
  });

  it('serves the REST API and the playground: `pullguard serve` answers real requests', async () => {
    const { child, url } = await startServe(['--policy', example('policies')], {
      command: [pullguardBin],
      cwd: elsewhere,
      env: userEnv(),
    });
    server = child;
    const response = await fetch(`${url}/v1/evaluate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        namespace: 'prod-a',
        objects: [
          {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'web' },
            spec: { containers: [{ name: 'app', image: 'nginx:latest' }] },
          },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const report = (await response.json()) as { verdict: string; findings: { rule: string }[] };
    expect(report.verdict).toBe('fail');
    expect(report.findings.map((f) => f.rule)).toContain('require-digest');
    // The playground, from the files the tarball carries (scripts/bundle.mjs vendors them).
    const page = await fetch(`${url}/playground`);
    expect([page.status, page.url, page.headers.get('content-type')]).toEqual([
      200,
      `${url}/playground/`,
      'text/html; charset=utf-8',
    ]);
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'none'");
    expect(await page.text()).toContain('<title>pullguard playground</title>');
    const engine = await fetch(`${url}/playground/engine.js`);
    expect([engine.status, engine.headers.get('content-type')]).toEqual([
      200,
      'text/javascript; charset=utf-8',
    ]);
    expect((await engine.text()).length).toBeGreaterThan(100_000);
    const exit = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('loads a plugin from a folder without node_modules that imports @pullguard/sdk and @pullguard/engine', async () => {
    // What a team's plugin folder often is: the plugin gets the installed CLI's own SDK and engine.
    const plugins = mkdtempSync(join(scratch, 'plugins-'));
    await writeFile(
      join(plugins, 'acme.mjs'),
      [
        "import { definePlugin, defineRule } from '@pullguard/sdk';",
        "import { PLUGIN_API_VERSION } from '@pullguard/engine';",
        'export default definePlugin({',
        "  name: 'acme',",
        '  rules: [',
        '    defineRule({',
        "      id: 'acme/no-nginx',",
        "      description: 'no nginx',",
        '      check: (facts, ctx) =>',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the plugin's source, not a template here
        "        facts.image.path === 'library/nginx' ? ctx.fail(`nginx is not allowed (plugin API ${PLUGIN_API_VERSION})`) : undefined,",
        '    }),',
        '  ],',
        '});',
      ].join('\n'),
    );
    await writeFile(
      join(plugins, 'policy.yaml'),
      'apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata: { name: acme }\nspec:\n  namespaces: ["*"]\n  rules:\n    - rule: acme/no-nginx\n',
    );
    const result = await pullguard([
      'check',
      '--policy',
      join(plugins, 'policy.yaml'),
      '--plugin',
      join(plugins, 'acme.mjs'),
      '--format',
      'json',
      example('manifests/bad/prod-a-latest.yaml'),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: { rule: string; message: string }[] };
    expect(report.findings.map((f) => `${f.rule}: ${f.message}`)).toContain(
      'acme/no-nginx: nginx is not allowed (plugin API 1)',
    );
  });

  it('ships the real @pullguard/sdk and @pullguard/engine entry modules, sharing its engine', async () => {
    const sdk = (await import(join(installedCli, 'dist', 'sdk.js'))) as Record<string, unknown>;
    const engine = (await import(join(installedCli, 'dist', 'engine.js'))) as Record<string, unknown>;
    expect(typeof sdk['definePlugin']).toBe('function');
    expect(typeof sdk['createEngine']).toBe('function');
    // One copy of the engine behind both: what a plugin gets is what the CLI runs.
    expect(sdk['createEngine']).toBe(engine['createEngine']);
  });
});

/** A Dockerfile's instructions per stage: `{ from, steps: [[instruction, arguments]] }` (continuations joined). */
function dockerStages(text: string) {
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  const stages: { from: string; steps: [string, string][] }[] = [];
  for (const line of lines.map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const [, instruction = '', rest = ''] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (instruction === 'FROM') stages.push({ from: rest, steps: [] });
    else stages.at(-1)?.steps.push([instruction, rest]);
  }
  return stages;
}

/** A shell glob with only `*` (what the Dockerfile's COPY sources use) as a regular expression. */
const globRegExp = (glob: string) =>
  new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]*')}$`);

describe('the image (Dockerfile), without a docker daemon', () => {
  const stages = dockerStages(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
  const [install, runtime] = stages;
  const step = (stage: typeof install, instruction: string) =>
    stage?.steps.filter(([i]) => i === instruction).map(([, rest]) => rest) ?? [];

  it('installs only the CLI tarball that package-tarballs writes (the build context)', () => {
    expect(stages.map((s) => s.from)).toEqual([
      'node:20-slim AS install',
      'gcr.io/distroless/nodejs20-debian12:nonroot',
    ]);
    const copies = step(install, 'COPY');
    expect(copies).toHaveLength(1);
    const [source, target] = copies[0]!.split(/\s+/);
    const matches = readdirSync(tarballs).filter((name) => globRegExp(source!).test(name));
    expect(matches).toEqual(['pullguard-cli-0.1.0.tgz']);
    expect(step(install, 'RUN')).toEqual([
      expect.stringMatching(new RegExp(`npm install --global .*${target}pullguard-cli-\\*\\.tgz$`)),
    ]);
  });

  it('runs as a numeric non-root user, the installed package alone', () => {
    const [user] = step(runtime, 'USER');
    expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    expect(step(runtime, 'COPY')).toEqual([
      '--from=install /usr/local/lib/node_modules/@pullguard/cli /opt/pullguard',
    ]);
  });

  it('starts the server from the entrypoint, reading namespace labels from the API (client-node loads)', async () => {
    // COPY --from: node:20-slim's npm installs globally under /usr/local, as `--prefix` did here.
    const [, from, to] = /--from=install (\S+) (\S+)/.exec(step(runtime, 'COPY')[0]!)!;
    const image = mkdtempSync(join(scratch, 'image-'));
    const opt = join(image, to!);
    cpSync(from!.replace('/usr/local', prefix), opt, { recursive: true });
    const entrypoint = JSON.parse(step(runtime, 'ENTRYPOINT')[0]!) as string[];
    const cmd = JSON.parse(step(runtime, 'CMD')[0]!) as string[];
    expect(entrypoint[0]).toBe('/nodejs/bin/node');
    const bin = entrypoint[1]!.replace(to!, opt);
    const help = await run(process.execPath, [bin, ...cmd], { cwd: elsewhere, env: userEnv() });
    expect(help.stdout).toContain('--watch-namespaces');

    const api = new FakeKubeApiServer();
    await api.start();
    try {
      api.set('pay', { team: 'payments' });
      const kubeconfig = join(image, 'kubeconfig');
      api.writeKubeconfig(kubeconfig);
      const { child, url } = await startServe(
        ['--policy', example('policies'), '--watch-namespaces', '--kubeconfig', kubeconfig],
        { command: [process.execPath, bin], cwd: elsewhere, env: userEnv() },
      );
      imageServer = child;
      let ready = await fetch(`${url}/readyz`);
      for (let i = 0; i < 100 && ready.status !== 200; i++) {
        await new Promise((done) => setTimeout(done, 50));
        ready = await fetch(`${url}/readyz`);
      }
      expect(ready.status).toBe(200);
      expect(api.requests.some((r) => r.startsWith('GET /api/v1/namespaces'))).toBe(true);
      // tenant-payments governs namespaces labelled team=payments, as the API says `pay` is.
      const review = await fetch(`${url}/v1/admission/validate`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(podReview('pay', `registry.acme.io/shop/api@sha256:${'b'.repeat(64)}`)),
      });
      const { response } = (await review.json()) as {
        response: { allowed: boolean; status: { message: string } };
      };
      expect(response.allowed).toBe(false);
      expect(response.status.message).toContain('tenant-payments');
      // Stopped by afterAll (its process group): with --watch-namespaces the server does not yet
      // exit on SIGTERM while a watch connection is open (reported to the server's owners).
    } finally {
      await api.close();
    }
  });
});

describe('the engine, registry and SDK tarballs installed into a fresh app', () => {
  it('embed the engine: load policies and evaluate a manifest', async () => {
    await writeFile(
      join(app, 'check.mjs'),
      [
        "import { readFileSync } from 'node:fs';",
        "import { createEngine, loadPolicies } from '@pullguard/sdk';",
        'const [policies, manifest] = process.argv.slice(2);',
        'const engine = createEngine({ policies: await loadPolicies([policies]) });',
        "const report = await engine.evaluateText(readFileSync(manifest, 'utf8'), { file: manifest });",
        'console.log(JSON.stringify({ verdict: report.verdict, rules: report.findings.map((f) => f.rule) }));',
      ].join('\n'),
    );
    const { stdout } = await run(
      process.execPath,
      ['check.mjs', example('policies'), example('manifests/bad/prod-a-latest.yaml')],
      { cwd: app, env: userEnv() },
    );
    const out = JSON.parse(stdout) as { verdict: string; rules: string[] };
    expect(out.verdict).toBe('fail');
    expect(out.rules).toContain('require-digest');
  });

  it('give an embedder the registry client: @pullguard/sdk/registry builds the resolver from settings', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        [
          "import { createResolverFromSettings } from '@pullguard/sdk/registry';",
          'const resolver = createResolverFromSettings({ dockerConfig: false });',
          'const offline = createResolverFromSettings({ offline: true });',
          'console.log(typeof resolver?.resolve, offline);',
        ].join('\n'),
      ],
      { cwd: app, env: userEnv() },
    );
    expect(stdout.trim()).toBe('function undefined');
  });
});
