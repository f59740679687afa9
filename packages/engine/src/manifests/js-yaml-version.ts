import { createRequire } from 'node:module';

/**
 * The version of the js-yaml this engine resolves, for parser-state.ts's message only (read from
 * its package.json). js-yaml-version.browser.ts answers for the browser build (package.json
 * `browser`), which has no package files to read.
 */
export function installedJsYamlVersion(): string {
  try {
    return (createRequire(import.meta.url)('js-yaml/package.json') as { version: string }).version;
  } catch {
    return '(version unknown)';
  }
}
