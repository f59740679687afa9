/**
 * What a result-cache key must do (docs/performance-invariants.md#numeric-cache-keys): two inputs
 * get the same key exactly when they agree on the facts the plan's cached rules read, so that an
 * answer is shared where it may be and never vouches for an input it was not judged on. Whether a
 * key is a number or a string, and how it is spelled, is nobody's business but cache-key.ts's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REGISTRY_NOT_CONSULTED } from '../registry/registry-facts.js';
import type { RegistryFacts } from '../rule-contract.js';
import type { ContainerType, ExtractedImage } from '../types.js';
import { cacheKey, namespaceKey } from './cache-key.js';
import {
  KEY_CONTAINER,
  KEY_NAMESPACE,
  KEY_POD,
  KEY_REGISTRY,
  KEY_WORKLOAD,
  type PreparedPlan,
} from './prepared-plan.js';
import { ResultCache } from './result-cache.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

const resolved = (digest: string, extra: Partial<RegistryFacts> = {}): RegistryFacts => ({
  ...REGISTRY_NOT_CONSULTED,
  status: 'resolved',
  digest,
  index: false,
  tagStatus: 'resolved',
  tagDigest: digest,
  message: null,
  ...extra,
});

const REGISTRY_FACTS: RegistryFacts[] = [
  REGISTRY_NOT_CONSULTED,
  resolved(D1),
  resolved(D2),
  resolved(D1, { tagDigest: D2 }),
  resolved(D1, { index: true }),
  resolved(D1, { stale: true }),
  { ...REGISTRY_NOT_CONSULTED, status: 'not-found', tagStatus: 'not-found' },
];

const labels = fc.constantFrom({}, { app: 'web' }, { app: 'api' }, { app: 'web', tier: 'pci' });

/** Everything a key could be built from. Values are few, so that inputs often agree. */
const fields = {
  /** An index into the plans of the run: a plan's serial comes with its own key parts. */
  plan: fc.nat(5),
  raw: fc.constantFrom('nginx:1.27', 'nginx:1.28', 'nginx', 'Bad', 'a'.repeat(300)),
  declared: fc.constantFrom(undefined, 'Always', 'IfNotPresent', 'Never', 'always', ''),
  type: fc.constantFrom<ContainerType>('container', 'init', 'sidecar', 'ephemeral', 'volume'),
  admitted: fc.boolean(),
  container: fc.constantFrom('app', 'proxy', ''),
  secrets: fc.constantFrom([], ['a'], ['a', 'b'], ['ab']),
  apiVersion: fc.constantFrom('apps/v1', 'v1'),
  kind: fc.constantFrom('Deployment', 'Pod'),
  name: fc.constantFrom('web', 'api'),
  workloadLabels: labels,
  annotations: labels,
  namespace: fc.constantFrom('prod', 'dev'),
  namespaceLabels: fc.option(labels),
  registry: fc.nat(REGISTRY_FACTS.length - 1),
};
const input = fc.record(fields);

type Input = typeof input extends fc.Arbitrary<infer T> ? T : never;

/** Pairs that differ in a few facts only (a shared key for them is the bug to catch), or in all. */
const pair = fc.oneof(
  fc.tuple(input, input),
  fc
    .tuple(input, input, fc.subarray(Object.keys(fields) as (keyof Input)[], { minLength: 1, maxLength: 2 }))
    .map(([x, other, changed]) => {
      const y: Input = { ...x };
      for (const field of changed) Object.assign(y, { [field]: other[field] });
      return [x, y] as const;
    }),
);

/**
 * Six plans, each with its own serial (a serial names one plan in an engine), around the serials
 * past which a packed numeric key would not be exact; most read only the facts every key carries.
 */
const plans = fc
  .tuple(
    fc.uniqueArray(fc.constantFrom(0, 1, 2, 2 ** 15 - 1, 2 ** 15, 2 ** 15 + 1, 2 ** 15 + 2, 2 ** 20), {
      minLength: 6,
      maxLength: 6,
    }),
    fc.array(fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(31) }), {
      minLength: 6,
      maxLength: 6,
    }),
  )
  .map(([serials, parts]) => serials.map((serial, i) => ({ serial, keyParts: parts[i]! }) as PreparedPlan));

function keyOf(interner: ResultCache<object>, plans: readonly PreparedPlan[], x: Input): string | number {
  const plan = plans[x.plan]!;
  const image = {
    raw: x.raw,
    pullPolicy: { declared: x.declared },
    container: { name: x.container, type: x.type },
    imagePullSecrets: x.secrets,
    // a new object per image, as loading makes one per workload
    workload: {
      apiVersion: x.apiVersion,
      kind: x.kind,
      name: x.name,
      labels: x.workloadLabels,
      annotations: x.annotations,
    },
  } as unknown as ExtractedImage;
  const namespacePart = namespaceKey(plan, x.namespace, x.namespaceLabels);
  return cacheKey(interner, plan, image, namespacePart, x.admitted, REGISTRY_FACTS[x.registry]!);
}

/** The facts a plan's key must stand for: always image, declared policy, type and admission. */
function readFacts(plans: readonly PreparedPlan[], x: Input): string {
  const plan = plans[x.plan]!;
  const parts = plan.keyParts;
  return JSON.stringify([
    plan.serial,
    x.raw,
    x.declared ?? null,
    x.type,
    x.admitted,
    parts & KEY_CONTAINER ? x.container : null,
    parts & KEY_POD ? x.secrets : null,
    parts & KEY_WORKLOAD ? [x.apiVersion, x.kind, x.name, x.workloadLabels, x.annotations] : null,
    parts & KEY_NAMESPACE ? [x.namespace, x.namespaceLabels] : null,
    parts & KEY_REGISTRY ? REGISTRY_FACTS[x.registry] : null,
  ]);
}

describe('result-cache keys', () => {
  it('are equal exactly when the facts the plan reads are equal', () => {
    fc.assert(
      fc.property(plans, fc.array(pair, { minLength: 1, maxLength: 20 }), (all, pairs) => {
        const interner = new ResultCache({});
        for (const [x, y] of pairs) {
          const same = readFacts(all, x) === readFacts(all, y);
          expect(
            keyOf(interner, all, x) === keyOf(interner, all, y),
            `${readFacts(all, x)} vs ${readFacts(all, y)}`,
          ).toBe(same);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never make two different inputs equal, even once the interner has forgotten its ids', () => {
    fc.assert(
      fc.property(plans, fc.array(input, { minLength: 2, maxLength: 40 }), (all, inputs) => {
        // max 1: the image-id table is emptied every second new image
        const interner = new ResultCache({ max: 1 });
        const seen = new Map<string | number, string>();
        for (const x of inputs) {
          const key = keyOf(interner, all, x);
          const facts = readFacts(all, x);
          expect(seen.get(key) ?? facts).toBe(facts);
          seen.set(key, facts);
        }
      }),
      { numRuns: 500 },
    );
  });
});
