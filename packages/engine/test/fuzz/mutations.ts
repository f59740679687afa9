/**
 * Mutations for the fuzz suites: a valid document (a policy, a Kubernetes object, an
 * AdmissionReview) with values replaced, keys removed or added (`__proto__` included) and list
 * items repeated at random places, so that most of it stays valid and one part is wrong.
 */
import fc from 'fast-check';

/** Values a policy author or a caller might put anywhere: wrong types, edge sizes, hostile patterns and keys. */
export const strangeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    '',
    '*',
    '**',
    'prod-*',
    '[',
    '{{ .Values.x }}',
    'registry.acme.io/',
    'registry.acme.io',
    'docker.io:443/',
    '*.io/',
    'a'.repeat(10_000),
    '(((((a{0,3}){3}){3}){3}){3})b',
    `${'[a-z0-9]*'.repeat(6)}b`,
    '(\\w+)\\1',
    'v(?=1)[0-9]+',
    '\\Q(',
    '(((.{0,10}){10}){10})'.repeat(9),
    '2020-02-30',
    '2999-12-31',
    '2026-01-01T00:00:00',
    'not a date',
    'deny',
    'warn',
    'audit',
    'expression',
    'allowed-tags',
    'allowed-registries',
    'denied-registries',
    'require-digest',
    'unknown-rule',
    'acme/x',
    '__proto__',
    'constructor',
    -1,
    0,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    true,
    null,
    [],
    {},
    { var: 'constructor' },
    { var: ['image.name', 'x'] },
    { in: [{ var: 'image.registry' }, ['docker.io']] },
    { map: [{ var: 'image' }, { var: '' }] },
    { reduce: [[1, 2, 3], { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] },
    { cat: ['a', { var: 'image.name' }] },
    { matchLabels: { team: 'payments' } },
    { matchExpressions: [{ key: 'env', operator: 'In', values: [] }] },
    { matchExpressions: [{ key: 'env', operator: 'Exists', values: ['x'] }] },
  ),
  fc.integer({ min: 30, max: 120 }).map((depth) => nest(depth)),
);

function nest(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { k: value };
  return value;
}

/** Strings where a string belongs. */
export const strangeString = strangeValue.filter((v): v is string => typeof v === 'string');

export type Edit =
  | { op: 'set'; at: number; value: unknown }
  | { op: 'string'; at: number; value: string }
  | { op: 'delete'; at: number }
  | { op: 'add'; at: number; key: string; value: unknown }
  | { op: 'duplicate'; at: number };

export const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: strangeValue }),
  // Most often the schema holds and the meaning does not: strings where strings belong.
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('string' as const), at: fc.nat(), value: strangeString }),
  },
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('add' as const),
    at: fc.nat(),
    key: fc.constantFrom(
      '__proto__',
      'constructor',
      'extra',
      'with',
      'when',
      'id',
      'action',
      'mutate',
      'rules',
      '',
    ),
    value: strangeValue,
  }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
);

type Composite = Record<string, unknown> | unknown[];

/** The objects and arrays of a document, in document order. */
function composites(root: unknown): Composite[] {
  const out: Composite[] = [];
  const visit = (node: unknown) => {
    if (node === null || typeof node !== 'object') return;
    out.push(node as Composite);
    for (const value of Object.values(node)) visit(value);
  };
  visit(root);
  return out;
}

/** Sets an own, enumerable property: `__proto__` too, as JSON.parse would. */
function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Applies edits to a copy of `document`. */
export function applyEdits(document: unknown, edits: readonly Edit[]): unknown {
  const copy = structuredClone(document);
  for (const e of edits) {
    const all = composites(copy);
    if (e.op === 'string') {
      const leaves = all.flatMap((node) =>
        Object.entries(node).flatMap(([key, value]) => (typeof value === 'string' ? [{ node, key }] : [])),
      );
      const leaf = leaves[e.at % Math.max(1, leaves.length)];
      if (leaf) define(leaf.node, leaf.key, e.value);
      continue;
    }
    const target = all[e.at % Math.max(1, all.length)];
    if (target === undefined) continue;
    if (e.op === 'add') {
      if (Array.isArray(target)) target.push(e.value);
      else define(target, e.key, e.value);
      continue;
    }
    const keys = Object.keys(target);
    const key = keys[e.at % Math.max(1, keys.length)];
    if (key === undefined) continue;
    if (e.op === 'set') define(target, key, e.value);
    else if (Array.isArray(target)) {
      if (e.op === 'delete') target.splice(Number(key), 1);
      else target.push(structuredClone(target[Number(key)]));
    } else if (e.op === 'delete') delete target[key];
  }
  return copy;
}

/** `base` with 1–4 edits. */
export function mutated<T>(base: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc
    .tuple(base, fc.array(edit, { minLength: 1, maxLength: 4 }))
    .map(([doc, edits]) => applyEdits(doc, edits));
}
