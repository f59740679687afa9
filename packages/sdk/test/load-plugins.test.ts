import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  closePlugins,
  createEngine,
  loadPlugins,
  PullguardAggregateError,
  PullguardError,
  parsePolicies,
} from '@pullguard/sdk';
import { afterAll, describe, expect, it } from 'vitest';

const testDir = fileURLToPath(new URL('.', import.meta.url));

async function loadError(specifier: string): Promise<PullguardError> {
  const error = await loadPlugins([specifier], { cwd: testDir }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof PullguardError)) throw new Error(`expected a PullguardError, got ${String(error)}`);
  return error;
}

describe('loadPlugins', () => {
  it('imports a plugin by a path relative to cwd, and the engine registers it', async () => {
    const [acme] = await loadPlugins(['./fixtures/plugins/acme.mjs'], { cwd: testDir });
    expect(acme?.name).toBe('acme');
    const engine = createEngine({ policies: [], plugins: acme ? [acme] : [] });
    expect(engine.rules().find((r) => r.id === 'acme/no-busybox')).toMatchObject({ source: 'acme' });
  });

  it('imports by absolute path and by file: URL, and accepts a named `plugin` export', async () => {
    const absolute = fileURLToPath(new URL('fixtures/plugins/named-export.mjs', import.meta.url));
    const plugins = await loadPlugins([absolute, pathToFileURL(absolute).href]);
    expect(plugins.map((p) => p.name)).toEqual(['named', 'named']);
  });

  it('loads in the order given', async () => {
    const plugins = await loadPlugins(
      ['./fixtures/plugins/named-export.mjs', './fixtures/plugins/acme.mjs'],
      {
        cwd: testDir,
      },
    );
    expect(plugins.map((p) => p.name)).toEqual(['named', 'acme']);
  });

  it('says which specifier failed and why: missing file, unknown package, import error, no plugin export', async () => {
    const missing = await loadError('./fixtures/plugins/nope.mjs');
    expect(missing.code).toBe('PLUGIN_LOAD_FAILED');
    expect(missing.message).toMatch(/plugin "\.\/fixtures\/plugins\/nope\.mjs" could not be loaded/);
    expect((await loadError('@acme/not-installed')).message).toMatch(
      /"@acme\/not-installed" could not be loaded/,
    );
    expect((await loadError('./fixtures/plugins/throws-on-import.mjs')).message).toMatch(
      /missing configuration ACME_TOKEN/,
    );
    expect((await loadError('./fixtures/plugins/no-plugin.mjs')).message).toMatch(/no default export/);
  });

  it('leaves the shape to registration, which names the problem', async () => {
    const plugins = await loadPlugins(['./fixtures/plugins/wrong-shape.mjs'], { cwd: testDir });
    const error = (() => {
      try {
        createEngine({ policies: [], plugins });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PullguardAggregateError);
    expect((error as PullguardAggregateError).diagnostics.map((d) => d.code)).toEqual(['PLUGIN_INVALID']);
  });
});

describe('loadPlugins with hostModules: a plugin folder needs no node_modules', () => {
  // The built SDK, as a host (the CLI, the server) offers its own copy.
  const sdkEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  const folder = mkdtemp(join(tmpdir(), 'pullguard-sdk-plugin-'));
  afterAll(async () => rm(await folder, { recursive: true, force: true }));

  async function writePlugin(): Promise<string> {
    const dir = await folder;
    await writeFile(
      join(dir, 'outside.mjs'),
      `import { definePlugin, defineRule } from '@pullguard/sdk';
export default definePlugin({
  name: 'outside',
  rules: [defineRule({ id: 'outside/all', description: 'flags every image', check: (f, ctx) => ctx.fail(\`saw \${f.image.raw}\`) })],
});
`,
    );
    return dir;
  }

  it('resolves @pullguard/sdk to the file the host gives', async () => {
    const cwd = await writePlugin();
    // Generous: the SDK brings the whole engine into the worker, slow on a loaded machine.
    const hostModules = { '@pullguard/sdk': sdkEntry };
    const plugins = await loadPlugins(['./outside.mjs'], { cwd, hostModules, loadTimeoutMs: 120_000 });
    try {
      const policy = `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: p }
spec: { namespaces: ["*"], rules: [{ rule: outside/all }] }
`;
      const engine = createEngine({ policies: parsePolicies([{ text: policy }]).documents, plugins });
      const report = await engine.evaluateObject({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web' },
        spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
      });
      expect(report.findings.map((f) => f.message)).toEqual(['saw nginx:1.27']);
    } finally {
      await closePlugins(plugins);
    }
  }, 150_000);

  it('without it, the import fails as Node reports it, naming the plugin', async () => {
    const cwd = await writePlugin();
    const error = await loadPlugins(['./outside.mjs'], { cwd }).catch((e: unknown) => e);
    expect((error as PullguardError).code).toBe('PLUGIN_LOAD_FAILED');
    expect((error as PullguardError).message).toMatch(
      /^plugin "\.\/outside\.mjs" could not be loaded: Cannot find package '@pullguard\/sdk'/,
    );
  });
});
