#!/usr/bin/env node
// Bundles the `pullguard` binary with esbuild after `tsc` has built dist/ (package.json "build").
// Why: `pullguard check` spent most of its start-up in Node resolving and reading the hundreds of
// small files of the engine and its dependencies (ajv, yaml, …); one bundle removes that (numbers
// in docs/cli.md#performance). What stays as tsc built it:
// - dist/index.js and everything it imports: the library API (`run`) is not bundled;
// - dist/commands/serve.js and @pullguard/server: `serve` loads Express and its own engine, so it
//   runs the unbundled modules (its errors are reported there, by the same engine copy);
// - every file read relative to a module (the PullPolicy schema, the baseline policy, templates,
//   package.json): each bundled module's `import.meta.url` is replaced by the URL of the file it
//   came from, so those reads find what they found before bundling.
// Outputs, all in dist/: bin.js (replaces tsc's), check-worker.js (the worker thread's entry;
// dist/check/check-worker.js becomes a one-line import of it) and chunk-*.js shared by both, one
// per lazily imported command, so `--help` still loads no engine.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cli = fileURLToPath(new URL('..', import.meta.url));
const dist = join(cli, 'dist');
const src = join(cli, 'src');

/** The file a module is read from at run time when unbundled: cli sources map to dist/, the rest stay. */
const runtimePath = (path) =>
  path.startsWith(src) ? join(dist, relative(src, path)).replace(/\.ts$/, '.js') : path;

/** `import.meta.url` → the URL of the module's own file, relative to the bundle in dist/. */
const moduleUrls = {
  name: 'module-urls',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const own = relative(dist, runtimePath(args.path)).split('\\').join('/');
      const url = `new URL(${JSON.stringify(own.startsWith('.') ? own : `./${own}`)}, import.meta.url).href`;
      return {
        contents: text.replaceAll('import.meta.url', url),
        loader: args.path.endsWith('.ts') ? 'ts' : 'js',
        resolveDir: dirname(args.path),
      };
    });
  },
};

/** `serve` stays unbundled (see above): its dynamic import resolves to tsc's dist/commands/serve.js. */
const serveUnbundled = {
  name: 'serve-unbundled',
  setup(b) {
    b.onResolve({ filter: /\/commands\/serve\.js$/ }, () => ({
      path: './commands/serve.js',
      external: true,
    }));
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

const result = await build({
  entryPoints: { bin: join(src, 'bin.ts'), 'check-worker': join(src, 'check/check-worker.ts') },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@pullguard/server'],
  plugins: [moduleUrls, serveUnbundled, lazyChildProcess],
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

// tsc's source maps describe the files just replaced: wrong now, so gone.
await Promise.all(['bin.js.map', 'check/check-worker.js.map'].map((f) => rm(join(dist, f), { force: true })));
await writeFile(
  join(dist, 'check', 'check-worker.js'),
  "// The worker thread's entry: the bundled worker (scripts/bundle.mjs).\nimport '../check-worker.js';\n",
);
// Which sources each output holds (paths relative to the package): what the start-up tests read
// to tell which modules a command loaded, now that many sit in one file.
const outputs = Object.fromEntries(
  Object.entries(result.metafile.outputs).map(([file, output]) => [
    relative(dist, join(cli, file)).split('\\').join('/'),
    Object.keys(output.inputs).map((input) => relative(cli, join(cli, input)).split('\\').join('/')),
  ]),
);
// The import.meta.url rewrite above counts from dist/: an output anywhere else would read wrong files.
const misplaced = Object.keys(outputs).filter((file) => file.includes('/'));
if (misplaced.length > 0) throw new Error(`bundle outputs outside dist/: ${misplaced.join(', ')}`);
await writeFile(META, `${JSON.stringify({ outputs }, null, 1)}\n`);
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(
  `bundled bin.js and check-worker.js: ${Object.keys(result.metafile.outputs).length} files, ${Math.round(bytes / 1024)} KiB`,
);
