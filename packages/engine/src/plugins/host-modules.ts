/**
 * The host side of `LoadPluginsOptions.hostModules`: which of its own packages a program (the CLI,
 * the server) offers to plugins, found the way the program itself would import them.
 */

/** What the CLI and the server offer: the plugin kit and the engine it re-exports. */
export const PULLGUARD_PACKAGES: readonly string[] = ['@pullguard/sdk', '@pullguard/engine'];

/**
 * `specifier → file URL` for each of `specifiers` that resolves from `parentUrl` (pass the calling
 * module's `import.meta.url`); those that do not resolve are left out, and plugins then resolve
 * them as usual, from their own folder. Asynchronous only to load the resolver when needed: most
 * runs load no plugin.
 */
export async function resolveHostModules(
  parentUrl: string,
  specifiers: readonly string[] = PULLGUARD_PACKAGES,
): Promise<Record<string, string>> {
  const { resolve } = await import('import-meta-resolve');
  const found: Record<string, string> = {};
  for (const specifier of specifiers) {
    try {
      found[specifier] = resolve(specifier, parentUrl);
    } catch {
      // Not installed beside this host: nothing to offer.
    }
  }
  return found;
}
