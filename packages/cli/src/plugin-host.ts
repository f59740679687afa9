import { existsSync } from 'node:fs';
import { resolveHostModules } from '@pullguard/engine/internals';

/**
 * What the CLI offers plugins when they import `@pullguard/sdk` or `@pullguard/engine`: the
 * bundle's own entry modules (dist/sdk.js and dist/engine.js, written by scripts/bundle.mjs), which
 * share the one engine copy the CLI runs and are all an installed tarball has (no @pullguard
 * package sits in its node_modules). Run from its TypeScript sources (tests), the CLI offers the
 * workspace packages instead.
 */
export function pluginHostModules(): Promise<Record<string, string>> {
  const sdk = new URL('./sdk.js', import.meta.url);
  if (existsSync(sdk)) {
    return Promise.resolve({
      '@pullguard/sdk': sdk.href,
      '@pullguard/engine': new URL('./engine.js', import.meta.url).href,
    });
  }
  return resolveHostModules(import.meta.url);
}
