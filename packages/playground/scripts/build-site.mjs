/**
 * Builds the page into dist/site/ (after tsc): index.html and playground.css as written, and two
 * classic scripts bundled by esbuild for the browser — playground.js (the page: CodeMirror, the
 * panels) and engine.js (the engine's browser build and the server's answer code, run in a web
 * worker). Classic scripts, not modules: a page opened from file:// may not load module scripts.
 * The examples menu is bundled from examples/ at build time.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { CONTENT_SECURITY_POLICY } from '../dist/csp.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const repo = join(root, '..', '..');
const site = join(root, 'dist', 'site');
const text = (path) => readFile(path, 'utf8');

async function yamlFiles(dir) {
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  return Promise.all(
    names.map(async (name) => ({
      name: basename(name).replace(/\.ya?ml$/, ''),
      text: await text(join(dir, name)),
    })),
  );
}

/** The examples menu: repository examples, each loading the editor it fits; "start" sets them all. */
async function examples() {
  const policies = await yamlFiles(join(repo, 'examples', 'policies'));
  const manifests = [
    ...(await yamlFiles(join(repo, 'examples', 'manifests', 'bad'))).map((f) => ({
      ...f,
      name: `bad/${f.name}`,
    })),
    ...(await yamlFiles(join(repo, 'examples', 'manifests', 'good'))).map((f) => ({
      ...f,
      name: `good/${f.name}`,
    })),
  ];
  const namespaces = await text(join(repo, 'examples', 'manifests', 'namespaces.yaml'));
  const registry = join(root, 'examples', 'registry');
  const allPolicies = policies.map((p) => p.text.trimEnd()).join('\n---\n');
  return [
    {
      group: 'Start',
      label: 'examples/policies with a failing Deployment',
      state: {
        policy: `${allPolicies}\n`,
        manifests: manifests.find((m) => m.name === 'bad/prod-a-latest').text,
        namespaces,
        registry: '',
      },
    },
    {
      group: 'Start',
      label: 'Registry rules: image-exists and digest pinning',
      state: {
        policy: await text(join(registry, 'policy.yaml')),
        manifests: await text(join(registry, 'manifests.yaml')),
        namespaces: '',
        registry: await text(join(registry, 'registry.yaml')),
      },
    },
    ...policies.map((p) => ({
      group: 'Policy',
      label: `examples/policies/${p.name}.yaml`,
      state: { policy: p.text },
    })),
    ...manifests.map((m) => ({
      group: 'Manifests',
      label: `examples/manifests/${m.name}.yaml`,
      state: { manifests: m.text },
    })),
    { group: 'Namespaces', label: 'examples/manifests/namespaces.yaml', state: { namespaces } },
  ];
}

const examplesModule = {
  name: 'examples',
  setup(b) {
    b.onResolve({ filter: /^pullguard:examples$/ }, () => ({ path: 'examples', namespace: 'pullguard' }));
    b.onLoad({ filter: /.*/, namespace: 'pullguard' }, async () => ({
      contents: JSON.stringify(await examples()),
      loader: 'json',
    }));
  },
};

await rm(site, { recursive: true, force: true });
await mkdir(site, { recursive: true });
const result = await build({
  entryPoints: {
    playground: join(root, 'src', 'page', 'main.ts'),
    engine: join(root, 'src', 'worker', 'engine-worker.ts'),
  },
  outdir: site,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome111', 'firefox115', 'safari16.4'],
  minify: true,
  legalComments: 'none',
  plugins: [examplesModule],
  metafile: true,
  logLevel: 'warning',
});
const html = (await text(join(root, 'src', 'page', 'index.html'))).replace(
  '{{CSP}}',
  CONTENT_SECURITY_POLICY,
);
await writeFile(join(site, 'index.html'), html);
await writeFile(join(site, 'playground.css'), await text(join(root, 'src', 'page', 'playground.css')));
const sizes = Object.entries(result.metafile.outputs).map(
  ([file, o]) => `${basename(file)} ${Math.round(o.bytes / 1024)} KiB`,
);
console.log(`built the playground into dist/site: ${sizes.join(', ')}`);
