/**
 * The host side of `LoadPluginsOptions.hostModules`: which of its own packages a program (the CLI,
 * the server) offers to plugins, found the way the program itself would import them.
 */
import { resolve } from 'import-meta-resolve';

/**
 * `specifier → file URL` for each of `specifiers` that resolves from `parentUrl` (pass the calling
 * module's `import.meta.url`); those that do not resolve are left out, and plugins then resolve
 * them as usual, from their own folder.
 */
export function resolveHostModules(specifiers: readonly string[], parentUrl: string): Record<string, string> {
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
