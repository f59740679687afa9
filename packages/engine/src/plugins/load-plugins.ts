/**
 * Loads plugins by module specifier, as `pullguard --plugin` and the server's configuration name
 * them: an npm package resolved from `cwd` (`@acme/pullguard-rules`), or a path to an ESM file
 * (`./plugins/team.mjs`, absolute paths, `file:` URLs).
 *
 * Plugin code never runs on the caller's thread: the modules are imported by worker threads (a
 * pool for rule calls, plus the control worker for `prepare` at policy load), and the returned
 * definitions call into them. See docs/plugins.md#isolation for what that costs and guarantees.
 */
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PullguardError } from '../errors.js';
import type { PluginDefinition } from '../rule-contract.js';
import { ControlWorker } from './control-worker.js';
import { isolatedPlugins } from './isolated-rule.js';
import { PluginPool } from './plugin-pool.js';
import type { PluginModule } from './worker-protocol.js';

export interface LoadPluginsOptions {
  /** Where package names resolve from and relative paths start (default `process.cwd()`). */
  cwd?: string | undefined;
  /**
   * Packages of the host that plugins import without installing them: bare specifier → the file
   * (absolute path or `file:` URL) a plugin gets, e.g. `{ '@pullguard/sdk': '/opt/pullguard/sdk/index.js' }`.
   * The CLI and the server pass their own `@pullguard/sdk` and `@pullguard/engine` (resolveHostModules).
   */
  hostModules?: Readonly<Record<string, string>> | undefined;
  /** Worker threads that run rule calls (default: the number of cores, 2 to 4). */
  workers?: number | undefined;
  /** How long importing the plugins may take, per worker (default 30 s: a cold node, a large plugin). */
  loadTimeoutMs?: number | undefined;
  /** How long one `prepare` call may take at policy load (default 2 s); the main thread waits for it. */
  prepareTimeoutMs?: number | undefined;
}

export const DEFAULT_PLUGIN_LOAD_TIMEOUT_MS = 30_000;
export const DEFAULT_PREPARE_TIMEOUT_MS = 2_000;

/** The workers behind the plugins of one loadPlugins call, for closePlugins. */
const hosts = new WeakMap<PluginDefinition, { close(): Promise<void> }>();

/**
 * Loads each specifier into the plugin workers and returns its plugin (the module's default
 * export, or its named export `plugin`) as the engine registers it. Throws PullguardError
 * PLUGIN_LOAD_FAILED naming the specifier and the cause — a module that does not import, has no
 * plugin export, or does not finish loading within `loadTimeoutMs`. The plugin's shape is
 * validated when it is registered (createEngine / createRuleCatalog).
 */
export async function loadPlugins(
  specifiers: readonly string[],
  options: LoadPluginsOptions = {},
): Promise<PluginDefinition[]> {
  if (specifiers.length === 0) return [];
  const cwd = options.cwd ?? process.cwd();
  const modules: PluginModule[] = [];
  for (const specifier of specifiers) modules.push({ specifier, url: await moduleUrl(specifier, cwd) });
  const data = { modules, hostModules: hostModuleUrls(options.hostModules ?? {}) };
  const loadTimeoutMs = options.loadTimeoutMs ?? DEFAULT_PLUGIN_LOAD_TIMEOUT_MS;
  const workers = options.workers ?? Math.max(2, Math.min(4, availableParallelism()));
  // Every worker of the pool has loaded the plugins when this returns: the first call finds them warm.
  const started = await PluginPool.start(data, { workers, loadTimeoutMs });
  const control = new ControlWorker(data, {
    loadTimeoutMs,
    prepareTimeoutMs: options.prepareTimeoutMs ?? DEFAULT_PREPARE_TIMEOUT_MS,
  });
  const close = async () => {
    await Promise.all([control.close(), started.pool.close()]);
  };
  let plugins: PluginDefinition[];
  try {
    plugins = isolatedPlugins(started.plugins, modules, started.pool, control);
  } catch (error) {
    await close();
    throw error;
  }
  const host = { close };
  for (const plugin of plugins) hosts.set(plugin, host);
  return plugins;
}

/**
 * Stops the worker threads behind plugins returned by loadPlugins (a server that shuts down, a
 * test). Rule calls still running are answered RULE_ERROR; engines using these plugins must not
 * evaluate afterwards. Plugins given as objects are left alone.
 */
export async function closePlugins(plugins: readonly PluginDefinition[]): Promise<void> {
  const closing = new Set(plugins.map((plugin) => hosts.get(plugin)).filter((host) => host !== undefined));
  await Promise.all([...closing].map((host) => host.close()));
}

async function moduleUrl(specifier: string, cwd: string): Promise<string> {
  try {
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
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new PullguardError('PLUGIN_LOAD_FAILED', `plugin "${specifier}" could not be loaded: ${why}`, {
      cause: error,
    });
  }
}

function hostModuleUrls(given: Readonly<Record<string, string>>): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [specifier, target] of Object.entries(given)) {
    urls[specifier] = target.startsWith('file:') ? target : pathToFileURL(resolve(target)).href;
  }
  return urls;
}
