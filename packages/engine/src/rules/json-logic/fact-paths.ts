/**
 * Paths into the Facts object, as JSON Logic `var` and message templates write them
 * (`image.tag`, `workload.labels.app.kubernetes.io/name`), read safely: own properties only, never
 * `__proto__`/`constructor`/`prototype`, so no expression can reach Object.prototype or a function.
 */
import type { FactGroup } from '../../rule-contract.js';

/** Every group of Facts and its fields; `map` = a free-form string map (labels, annotations). */
const FACT_SHAPE: Readonly<Record<FactGroup, Readonly<Record<string, 'value' | 'map'>> | 'value'>> = {
  image: {
    raw: 'value',
    valid: 'value',
    error: 'value',
    name: 'value',
    domain: 'value',
    path: 'value',
    tag: 'value',
    digest: 'value',
    familiar: 'value',
  },
  pullPolicy: { declared: 'value', effective: 'value', explicit: 'value' },
  container: { name: 'value', type: 'value' },
  workload: { apiVersion: 'value', kind: 'value', name: 'value', labels: 'map', annotations: 'map' },
  namespace: { name: 'value', labels: 'map' },
  pod: { imagePullSecrets: 'value' },
  admitted: 'value',
  registry: {
    status: 'value',
    digest: 'value',
    index: 'value',
    stale: 'value',
    tagStatus: 'value',
    tagDigest: 'value',
    host: 'value',
    failureKind: 'value',
    message: 'value',
    hint: 'value',
  },
};

export const FACT_GROUPS = Object.keys(FACT_SHAPE) as FactGroup[];

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** A path resolved against the Facts shape: the group it reads and the property names to walk. */
export interface FactPath {
  group: FactGroup;
  segments: readonly string[];
}

/**
 * Splits `path` on dots, except inside a label or annotation map, whose keys contain dots
 * (`workload.labels.app.kubernetes.io/name` reads the key `app.kubernetes.io/name`).
 * Returns a sentence saying what is wrong when the path names no fact.
 */
export function resolveFactPath(path: string): FactPath | string {
  const parts = path.split('.');
  const group = parts[0] ?? '';
  if (!Object.hasOwn(FACT_SHAPE, group)) {
    return `"${path}" names no fact: facts are ${FACT_GROUPS.join(', ')}`;
  }
  const shape = FACT_SHAPE[group as FactGroup];
  if (parts.length === 1) return { group: group as FactGroup, segments: parts };
  if (shape === 'value') return `"${path}": ${group} is a value and has no fields`;
  const field = parts[1]!;
  if (!Object.hasOwn(shape, field)) {
    return `"${path}" names no fact: ${group} has ${Object.keys(shape).join(', ')}`;
  }
  if (shape[field] === 'map' && parts.length > 2) {
    return { group: group as FactGroup, segments: [group, field, parts.slice(2).join('.')] };
  }
  if (parts.length > 2) return `"${path}": ${group}.${field} is a value and has no fields`;
  return { group: group as FactGroup, segments: parts };
}

/** Reads `segments` from `data`: own properties only; anything else (or a forbidden name) gives `fallback`. */
export function readOwn(data: unknown, segments: readonly string[], fallback: unknown): unknown {
  let value = data;
  for (const segment of segments) {
    if (
      value === null ||
      typeof value !== 'object' ||
      FORBIDDEN.has(segment) ||
      !Object.hasOwn(value, segment)
    ) {
      return fallback;
    }
    value = (value as Record<string, unknown>)[segment];
  }
  return value === undefined ? fallback : value;
}

/** Splits a path computed at run time the same way `resolveFactPath` does for literal ones. */
export function splitRuntimePath(path: string, inFacts: boolean): readonly string[] {
  if (!inFacts) return path.split('.');
  const resolved = resolveFactPath(path);
  return typeof resolved === 'string' ? path.split('.') : resolved.segments;
}
