/**
 * Module resolution hooks (registered by lib/lru-variant.mjs): the engine's `dist/lru-map.js` resolves
 * to lib/lru-cache-map.mjs — everywhere in the process, or only for modules imported with
 * `?lru=lru-cache` (a second instance of an engine module beside the usual one).
 */
const ENGINE_LRU_MAP = /\/packages\/engine\/dist\/lru-map\.js$/;
const ADAPTER = new URL('./lru-cache-map.mjs', import.meta.url).href;
export const VARIANT_QUERY = '?lru=lru-cache';

let everywhere = false;

export function initialize(data) {
  everywhere = data?.everywhere === true;
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const variant = everywhere || context.parentURL?.endsWith(VARIANT_QUERY) === true;
  return variant && ENGINE_LRU_MAP.test(resolved.url) ? { url: ADAPTER, shortCircuit: true } : resolved;
}
