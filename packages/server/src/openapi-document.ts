import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** Where the OpenAPI document lives: `openapi/` next to `src/` and `dist/` alike. */
export const OPENAPI_PATH = new URL('../openapi/openapi.yaml', import.meta.url);

/** The OpenAPI 3.1 document (the source of truth the server serves at /openapi.json). */
export function loadOpenApiDocument(): Record<string, unknown> {
  return parse(readFileSync(OPENAPI_PATH, 'utf8')) as Record<string, unknown>;
}
