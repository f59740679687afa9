#!/usr/bin/env node
// Bundles the `pullguard` binary with esbuild after `tsc` has built dist/ (package.json "build").
// Two reasons:
// - start-up: `pullguard check` spent most of its start-up in Node resolving and reading the
//   hundreds of small files of the engine and its dependencies (ajv, yaml, …); one bundle removes
//   that (numbers in docs/cli.md#performance);
// - installation: the workspace packages (@pullguard/engine, sdk, server, registry) are not
//   published, so the CLI's tarball (`pnpm -s package-tarballs DIR`) must carry them. Everything the
//   CLI runs is in dist/; its package.json `dependencies` are the public packages left external below.
// Entries, all in dist/: bin.js (replaces tsc's), check-worker.js (the worker thread's entry;
// dist/check/check-worker.js becomes a one-line import of it), index.js (the library API, `run`),
// and sdk.js / engine.js: the real `@pullguard/sdk` and `@pullguard/engine` entry modules, sharing
// this bundle's one copy of the engine, so that the running CLI can hand them to a plugin that
// imports those packages from outside the installation. chunk-*.js are shared; each lazily imported
// command is its own chunk, so `--help` still loads no engine and only `serve` loads the server.
// Files read relative to a module at run time (the PullPolicy schema and generated validators,
// the OpenAPI document, the baseline policy, templates, package.json): each bundled module's
// `import.meta.url` is replaced by the URL of the file it came from — CLI sources as tsc placed
// them in dist/, workspace packages' files under dist/vendor/<package>/, where this script copies
// the data files they read (VENDORED below).
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cli = fileURLToPath(new URL('..', import.meta.url));
const packages = dirname(cli);
const dist = join(cli, 'dist');
const src = join(cli, 'src');
const vendor = join(dist, 'vendor');

/** Workspace packages bundled into the CLI (never published on their own as its dependencies). */
const WORKSPACE = ['engine', 'sdk', 'server', 'registry', 'playground'];
/**
 * Modules the engine starts by URL rather than imports: the plugin worker thread's entry and the
 * module hooks it registers (packages/engine/src/plugins/). The engine finds them next to its own
 * files, which in this bundle means under dist/vendor/engine/dist/plugins/ (see moduleUrls): each
 * is bundled as an entry in dist/ and a one-line module there forwards to it.
 */
const ENGINE_WORKERS = ['plugin-worker', 'module-hooks'];
/** Files those packages read relative to their modules at run time, copied under dist/vendor/. */
const VENDORED = [
  ['engine', 'schemas'], // the PullPolicy JSON Schema (policy-schema.ts)
  ['engine', 'dist/generated'], // precompiled validators, require()d (precompiled-validators.ts)
  ['server', 'openapi'], // the OpenAPI document the server serves and validates against
  ['playground', 'dist/site'], // the playground page `serve` serves and `playground --out` writes
];
/**
 * Left external, so `dependencies` in package.json: Express and pino load optional parts
 * dynamically (view engines, pino's transports in worker threads) and prom-client keeps global
 * state that must be one copy; bundling any of them would break that.
 */
const EXTERNAL = ['express', 'pino', 'prom-client'];
/**
 * Optional native speed-ups that `ws` (under @kubernetes/client-node, bundled for the server's
 * `--watch-namespaces`) requires inside try/catch and works without: left external and not
 * installed. client-node itself is bundled because the workspace pins its undici to a version that
 * runs on Node 20 (pnpm-workspace.yaml); an install of the published package would get one that does not.
 */
const OPTIONAL_NATIVE = ['bufferutil', 'utf-8-validate'];

/** The file a module is read from at run time: CLI sources as tsc placed them, the rest vendored. */
function runtimePath(path) {
  if (path.startsWith(src + sep)) return join(dist, relative(src, path)).replace(/\.ts$/, '.js');
  const [pkg, ...rest] = relative(packages, path).split(sep);
  if (WORKSPACE.includes(pkg) && rest[0] !== 'node_modules') return join(vendor, pkg, ...rest);
  throw new Error(
    `${path} uses import.meta.url: a dependency that reads files next to itself cannot be bundled; add it to EXTERNAL and to dependencies`,
  );
}

/** `import.meta.url` → the URL of the module's own file (see runtimePath), relative to the bundle in dist/. */
const moduleUrls = {
  name: 'module-urls',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      // Comments (which may mention it) aside; `//` after a non-space is a URL in a string.
      const code = text.replaceAll(/\/\*[\s\S]*?\*\/|(^|\s)\/\/.*/g, '$1');
      if (!code.includes('import.meta.url')) return undefined;
      const own = relative(dist, runtimePath(args.path)).split(sep).join('/');
      const url = `new URL(${JSON.stringify(own.startsWith('.') ? own : `./${own}`)}, import.meta.url).href`;
      return {
        contents: text.replaceAll('import.meta.url', url),
        loader: args.path.endsWith('.ts') ? 'ts' : 'js',
        resolveDir: dirname(args.path),
      };
    });
  },
};

/**
 * commander requires node:child_process as it loads, to run executable subcommands, which
 * pullguard has none of; loading it (with net, dgram and the modules they need) cost every run
 * ~1.5 ms. commander's require gets a stand-in that loads the module on first use.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer)
        ? { path: 'child_process', namespace: 'lazy-builtin' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents:
        "let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

// Outputs of the previous build (chunk names carry content hashes), removed so none is left over.
const META = join(dist, 'bundle-meta.json');
const previous = await readFile(META, 'utf8').then(JSON.parse, () => ({ outputs: {} }));
await Promise.all(Object.keys(previous.outputs).map((file) => rm(join(dist, file), { force: true })));
await rm(vendor, { recursive: true, force: true });

const result = await build({
  entryPoints: {
    bin: join(src, 'bin.ts'),
    'check-worker': join(src, 'check/check-worker.ts'),
    index: join(src, 'index.ts'),
    sdk: '@pullguard/sdk',
    engine: '@pullguard/engine',
    ...Object.fromEntries(
      ENGINE_WORKERS.map((name) => [name, join(packages, 'engine', 'dist', 'plugins', `${name}.js`)]),
    ),
  },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: [...EXTERNAL, ...OPTIONAL_NATIVE],
  plugins: [moduleUrls, lazyChildProcess],
  // CommonJS dependencies bundled into ESM call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __pgRequire } from 'node:module'; const require = __pgRequire(import.meta.url);",
  },
  allowOverwrite: true,
  legalComments: 'none',
  // Every `pullguard check` compiles the bundle before it runs: whitespace and syntax minified,
  // the ~900 KB of outputs shrink by a third, and V8 parses ~3 ms faster, reads and decodes less
  // (measured with --cpu-prof, 10 runs: compileSourceTextModule 16.6 → 13.6 ms). Names are kept,
  // so stack traces still say which function failed.
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  absWorkingDir: cli,
  logLevel: 'warning',
});

await Promise.all(
  VENDORED.map(([pkg, path]) => cp(join(packages, pkg, path), join(vendor, pkg, path), { recursive: true })),
);
// tsc's outputs just replaced, and their source maps (wrong now).
await Promise.all(
  ['bin.js.map', 'index.js.map', 'check/check-worker.js.map'].map((f) => rm(join(dist, f), { force: true })),
);
await writeFile(
  join(dist, 'check', 'check-worker.js'),
  "// The worker thread's entry: the bundled worker (scripts/bundle.mjs).\nimport '../check-worker.js';\n",
);
const enginePlugins = join(vendor, 'engine', 'dist', 'plugins');
await mkdir(enginePlugins, { recursive: true });
await Promise.all(
  ENGINE_WORKERS.map((name) =>
    writeFile(
      join(enginePlugins, `${name}.js`),
      `// Where the engine looks for it: the bundled entry (scripts/bundle.mjs).\nexport * from '../../../../${name}.js';\n`,
    ),
  ),
);

// Every package the bundle imports must be a dependency of the installed CLI.
const pkg = JSON.parse(await readFile(join(cli, 'package.json'), 'utf8'));
const builtin = new Set(builtinModules);
const imported = new Set(
  Object.values(result.metafile.outputs).flatMap((o) =>
    o.imports
      .filter((i) => i.external && !i.path.startsWith('node:') && !builtin.has(i.path))
      .map((i) => i.path.split('/')[0]),
  ),
);
const undeclared = [...imported].filter(
  (name) => !Object.hasOwn(pkg.dependencies ?? {}, name) && !OPTIONAL_NATIVE.includes(name),
);
if (undeclared.length > 0)
  throw new Error(`the bundle imports packages missing from dependencies: ${undeclared}`);

// Which sources each output holds (paths relative to the package): what the start-up tests read
// to tell which modules a command loaded, now that many sit in one file.
const outputs = Object.fromEntries(
  Object.entries(result.metafile.outputs).map(([file, output]) => [
    relative(dist, join(cli, file)).split(sep).join('/'),
    Object.keys(output.inputs).map((input) => relative(cli, join(cli, input)).split(sep).join('/')),
  ]),
);
// The import.meta.url rewrite above counts from dist/: an output anywhere else would read wrong files.
const misplaced = Object.keys(outputs).filter((file) => file.includes('/'));
if (misplaced.length > 0) throw new Error(`bundle outputs outside dist/: ${misplaced.join(', ')}`);
await writeFile(META, `${JSON.stringify({ outputs }, null, 1)}\n`);
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(
  `bundled the CLI: ${Object.keys(result.metafile.outputs).length} files, ${Math.round(bytes / 1024)} KiB`,
);
