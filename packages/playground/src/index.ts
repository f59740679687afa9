// The whole public API of @pullguard/playground (Node): where the built page is, and how to copy it.
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENT_SECURITY_POLICY, HEADER_ONLY_POLICY } from './csp.js';

export { CONTENT_SECURITY_POLICY } from './csp.js';

/** The built page (scripts/build-site.mjs writes it beside this module, in dist/site/). */
export const PLAYGROUND_DIR = fileURLToPath(new URL('./site/', import.meta.url));

/** What `pullguard serve` mounts: the page's files at `/playground`, with their CSP as a header. */
export function playgroundSite(): { path: string; dir: string; contentSecurityPolicy: string } {
  return {
    path: '/playground',
    dir: PLAYGROUND_DIR,
    contentSecurityPolicy: `${CONTENT_SECURITY_POLICY}; ${HEADER_ONLY_POLICY}`,
  };
}

/** The docs base index.html links rules under (docs/playground.md#rule-links), as built. */
const DOCS_META = /(<meta name="pullguard-docs" content=")[^"]*(">)/;

/**
 * Writes the page into `dir` as static files that any web server serves (and a browser opens
 * from `file://`): `index.html` and what it loads. `docsBase` replaces where rule links point
 * (default `../docs/`: the page beside the repository's docs/). Returns the files written.
 */
export async function writePlayground(
  dir: string,
  options: { docsBase?: string | undefined } = {},
): Promise<string[]> {
  await cp(PLAYGROUND_DIR, dir, { recursive: true });
  if (options.docsBase !== undefined) {
    const index = join(dir, 'index.html');
    const base = options.docsBase.endsWith('/') ? options.docsBase : `${options.docsBase}/`;
    const escaped = base.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
    await writeFile(index, (await readFile(index, 'utf8')).replace(DOCS_META, `$1${escaped}$2`));
  }
  return (await readdir(PLAYGROUND_DIR, { withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
}
