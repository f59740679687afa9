import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { Express, RequestHandler } from 'express';
import { methodNotAllowed } from '../http/error-handler.js';

/** A folder of static files served under a path (`pullguard serve` serves the playground this way). */
export interface StaticSite {
  /** Where it is served: `/playground` (redirects to `/playground/`, which serves `index.html`). */
  path: string;
  /** The folder; read once, when the app is created: a request never touches the file system. */
  dir: string;
  /** The Content-Security-Policy sent with every file of the site. */
  contentSecurityPolicy: string;
}

/** The types a built site holds; any other file is not served (so it cannot be sniffed as something else). */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

interface SiteFile {
  body: Buffer;
  type: string;
}

/**
 * Serves `site` with GET and HEAD from memory: only the files the folder held when the app was
 * created answer (`/playground/../x` or an encoded variant can name nothing else), each with its
 * type, `nosniff`, the site's CSP and `no-cache` (the file names carry no version).
 */
export function mountStaticSite(app: Express, site: StaticSite): void {
  const files = readSite(site.dir);
  const send: RequestHandler = (req, res, next) => {
    // Relative links in index.html resolve against the folder, so the folder's URL ends with `/`.
    if (req.path === site.path) return res.redirect(308, `${site.path}/`);
    const name = req.path === `${site.path}/` ? 'index.html' : req.path.slice(site.path.length + 1);
    const file = files.get(name);
    if (file === undefined) return next('route');
    res.set({
      'Content-Type': file.type,
      'Content-Security-Policy': site.contentSecurityPolicy,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };
  // Express matches `/playground/` with `/playground` too (non-strict routing): `send` tells them apart.
  const onlyRead = methodNotAllowed(['GET', 'HEAD']);
  app.route(site.path).get(send).all(onlyRead);
  app.route(`${site.path}/{*name}`).get(send).all(onlyRead);
}

function readSite(dir: string): Map<string, SiteFile> {
  const files = new Map<string, SiteFile>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const type = CONTENT_TYPES[extname(entry.name)];
    if (!entry.isFile() || type === undefined) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path).split(sep).join('/'), { body: readFileSync(path), type });
  }
  return files;
}
