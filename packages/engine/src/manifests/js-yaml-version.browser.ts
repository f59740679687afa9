/** js-yaml-version.ts in the browser build: js-yaml is bundled with the page, its package.json is not. */
export function installedJsYamlVersion(): string {
  return '(the copy bundled with the page)';
}
