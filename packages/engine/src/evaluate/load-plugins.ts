/**
 * Imports plugins by module specifier, as `pullguard --plugin` and the server's configuration name
 * them: an npm package resolved from `cwd` (`@acme/pullguard-rules`), or a path to an ESM file
 * (`./plugins/team.mjs`, absolute paths, `file:` URLs).
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PullguardError } from '../errors.js';
import type { PluginDefinition } from '../rule-contract.js';

export interface LoadPluginsOptions {
  /** Where package names resolve from and relative paths start (default `process.cwd()`). */
  cwd?: string | undefined;
}

/**
 * Imports each specifier and returns its plugin: the module's default export, or its named export
 * `plugin`. Throws PullguardError PLUGIN_LOAD_FAILED naming the specifier and the cause. The plugin
 * itself is validated when it is registered (createEngine / createRuleCatalog).
 */
export async function loadPlugins(
  specifiers: readonly string[],
  options: LoadPluginsOptions = {},
): Promise<PluginDefinition[]> {
  const cwd = options.cwd ?? process.cwd();
  const plugins: PluginDefinition[] = [];
  for (const specifier of specifiers) plugins.push(await loadPlugin(specifier, cwd));
  return plugins;
}

async function loadPlugin(specifier: string, cwd: string): Promise<PluginDefinition> {
  const fail = (why: string, cause?: unknown) =>
    new PullguardError('PLUGIN_LOAD_FAILED', `plugin "${specifier}" could not be loaded: ${why}`, { cause });
  let url: string;
  try {
    url = await moduleUrl(specifier, cwd);
  } catch (error) {
    throw fail(error instanceof Error ? error.message : String(error), error);
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw fail(error instanceof Error ? error.message : String(error), error);
  }
  const plugin = module['default'] ?? module['plugin'];
  if (typeof plugin !== 'object' || plugin === null) {
    throw fail('the module has no default export and no export named `plugin`');
  }
  return plugin as PluginDefinition;
}

async function moduleUrl(specifier: string, cwd: string): Promise<string> {
  if (specifier.startsWith('file:')) return specifier;
  if (
    isAbsolute(specifier) ||
    specifier.startsWith('./') ||
    specifier.startsWith('../') ||
    specifier === '.'
  ) {
    return pathToFileURL(resolve(cwd, specifier)).href;
  }
  // ESM resolution (package.json "exports", "import" condition) from the working directory.
  // Loaded here, not at start-up: most runs load no plugin from a package.
  const { resolve: resolveModule } = await import('import-meta-resolve');
  return resolveModule(specifier, pathToFileURL(resolve(cwd, 'package.json')).href);
}
