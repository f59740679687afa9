import type { ImageFix } from '@pullguard/engine';
import { escapePointer } from '../http/depth.js';
import type { KubeObject } from './review.js';

/** The two RFC 6902 operations pullguard emits. */
export interface JsonPatchOperation {
  op: 'add' | 'replace';
  path: string;
  value: unknown;
}

/**
 * JSON Patch operations applying `fixes` to `object`: `replace` when the field exists, `add` when it
 * does not (RFC 6902 §4.3: replace requires the target to exist). A fix whose container is not in
 * the object, or whose field already has the value, yields nothing. One operation per path.
 */
export function patchForFixes(object: unknown, fixes: readonly ImageFix[]): JsonPatchOperation[] {
  const byPath = new Map<string, JsonPatchOperation>();
  for (const fix of fixes) {
    const tokens = parsePointer(fix.pointer);
    if (tokens === undefined || tokens.length === 0) continue;
    const parent = resolve(object, tokens.slice(0, -1));
    const field = tokens[tokens.length - 1]!;
    if (parent === null || typeof parent !== 'object' || Array.isArray(parent)) continue;
    const exists = Object.hasOwn(parent, field);
    if (exists && (parent as Record<string, unknown>)[field] === fix.value) continue;
    const path = `/${tokens.map(escapePointer).join('/')}`;
    byPath.set(path, { op: exists ? 'replace' : 'add', path, value: fix.value });
  }
  return [...byPath.values()];
}

/** RFC 6901 reference tokens of `pointer`, or undefined when it is not a pointer. */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

const ARRAY_INDEX = /^(0|[1-9]\d*)$/;

/** The value at `tokens` (own properties and in-range array indexes only), or undefined. */
export function resolve(value: unknown, tokens: readonly string[]): unknown {
  let current = value;
  for (const token of tokens) {
    if (Array.isArray(current)) {
      if (!ARRAY_INDEX.test(token)) return undefined;
      current = current[Number(token)];
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return current;
}

export function isObject(value: unknown): value is KubeObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
