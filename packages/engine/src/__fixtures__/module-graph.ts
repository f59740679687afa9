import { readFileSync } from 'node:fs';

/** What a module graph reaches: its engine modules (URLs of sources) and the packages it imports. */
export interface ModuleGraph {
  modules: Set<string>;
  /** Bare specifiers (`node:fs`, `yaml`, `@noble/hashes/sha2.js`), each once. */
  outside: Set<string>;
}

const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  browser?: Record<string, string>;
};

/**
 * The engine modules reachable from `entry` by value imports (type-only imports erased), read
 * from the sources. With `browser`, each module is swapped as a bundler does for a browser, by
 * package.json's `browser` map (written for dist/ paths, applied to the matching sources).
 */
export function moduleGraph(entry: URL, options: { browser?: boolean } = {}): ModuleGraph {
  const src = new URL('../', import.meta.url);
  const swaps = new Map(
    Object.entries(options.browser ? (PACKAGE.browser ?? {}) : {}).map(([from, to]) => [
      new URL(from.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'), src).href,
      new URL(to.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'), src),
    ]),
  );
  const graph: ModuleGraph = { modules: new Set(), outside: new Set() };
  const walk = (url: URL) => {
    const actual = swaps.get(url.href) ?? url;
    if (graph.modules.has(actual.href)) return;
    graph.modules.add(actual.href);
    const text = readFileSync(actual, 'utf8');
    for (const [statement, specifier] of text.matchAll(
      /^(?:import|export) (?!type )(?:[^;']*? from )?'([^']+)'/gms,
    )) {
      if (statement.startsWith('import type')) continue;
      if (!specifier!.startsWith('.')) graph.outside.add(specifier!);
      // Generated validator modules (generated/*.cjs) are data for this purpose: they require ajv's runtime helpers only.
      else if (!specifier!.endsWith('.cjs')) walk(new URL(specifier!.replace(/\.js$/, '.ts'), actual));
    }
  };
  walk(entry);
  return graph;
}
