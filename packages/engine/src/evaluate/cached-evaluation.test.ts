/**
 * The result cache, numeric cache keys, interned image ids, plan serials and the reused scratch
 * Facts are speed tricks (docs/performance-invariants.md). Whatever they do, an engine must answer
 * exactly as one without any of them: these properties run random sequences of evaluations,
 * registry moves, clock steps and reloads through a cached engine with a tiny cache, and through an
 * engine with no cache whose every plan gets fresh Facts, and compare every report.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFixtureResolver, type RegistryFixtures } from '../registry/fixture-resolver.js';
import type { RegistryResolver } from '../registry-contract.js';
import type { PluginDefinition } from '../rule-contract.js';
import type { Report } from '../types.js';
import { FakeClock, policies } from './__fixtures__/engine-harness.js';
import { createEngine } from './engine.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

/**
 * Plans that read only image facts (numeric keys), plans whose rules read the container, workload,
 * pull secrets and namespace labels, and a plan that reads the registry. `allowed` differs between
 * the two policy sets a sequence reloads between; `extra` is appended to the first rule list.
 */
const policyText = (allowed: string, extra = '') => `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: images }
spec:
  namespaces: [plain]
  rules:
    - rule: require-digest
    - rule: disallow-latest
    - rule: allowed-registries
      with: { registries: [${allowed}] }
    - rule: require-explicit-pull-policy
    - rule: mutable-tags-require-always
      mutate: true
${extra}  exemptions:
    - rules: [require-digest]
      images: [registry.acme.io/legacy]
      expires: "2027-01-31"
---
apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: reads-more }
spec:
  namespaces: ["team-*"]
  rules:
    - rule: private-images
      with: { registries: [registry.acme.io/] }
    - rule: require-digest
      message: "{{container.name}} of {{workload.kind}}/{{workload.name}} runs {{image.raw}} unpinned"
---
apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: pci }
spec:
  namespaceSelector: { matchLabels: { tier: pci } }
  rules:
    - rule: expression
      id: no-hub-in-pci
      when: { and: [{ "==": [{ var: namespace.labels.pci }, "true"] }, { "==": [{ var: image.domain }, docker.io] }] }
      message: "{{image.familiar}} comes from Docker Hub, which PCI namespaces may not use"
    - rule: expression
      id: app-label
      when: { "!": { var: workload.labels.app } }
      message: "{{workload.name}} has no app label"
---
apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: registry }
spec:
  namespaces: [pinned]
  rules:
    - rule: image-exists
    - rule: digest-matches-tag
`;

const POLICY_SETS = ['registry.acme.io/, docker.io/library/', 'registry.acme.io/'];

/**
 * A plugin rule that never flags, for every namespace: in the reference engine no plan is of
 * built-in rules only, so every image gets fresh Facts (the cached engine reuses one object).
 */
const neverFlags: PluginDefinition = {
  name: 'ref',
  rules: [{ id: 'ref/never', description: 'flags nothing', check: () => undefined }],
};
const referencePolicies = (allowed: string) =>
  policies(`${policyText(allowed)}---
apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: zz-reference }
spec:
  namespaces: ["*"]
  rules:
    - rule: ref/never
`);

/** The registry before and after tags move (and one disappears), and with a host down. */
const REGISTRY_STATES: RegistryFixtures[] = [
  { 'nginx:1.27': A, 'registry.acme.io/team/api:1': B, 'ghcr.io/acme/tool:3': A },
  { 'nginx:1.27': B, [`nginx@${A}`]: 'exists', 'registry.acme.io/team/api:1': B },
  { 'nginx:1.27': A, 'registry.acme.io/*': 'unreachable', 'ghcr.io/acme/tool:3': A },
];

/** Few images, so that evaluations meet the same ones again (cache hits), and a stream of new ones. */
const IMAGES = [
  'nginx',
  'nginx:latest',
  'nginx:1.27',
  `nginx:1.27@${A}`,
  'registry.acme.io/team/api:1',
  'registry.acme.io/legacy:2',
  'ghcr.io/acme/tool:3',
  'Not/A Reference',
];

const container = fc.record({
  list: fc.constantFrom('containers', 'initContainers', 'sidecar', 'ephemeralContainers', 'volumes'),
  name: fc.constantFrom('app', 'proxy'),
  image: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...IMAGES) },
    // new images: the interned-id table is emptied and refilled, the cache evicts
    { weight: 1, arbitrary: fc.nat(30).map((n) => `registry.acme.io/gen/app-${n}:1`) },
  ),
  pullPolicy: fc.constantFrom(undefined, 'Always', 'IfNotPresent', 'Never', 'always', 'Sometimes'),
});

const evaluation = fc.record({
  namespace: fc.constantFrom('plain', 'team-a', 'pci', 'pinned', 'elsewhere'),
  tier: fc.constantFrom(undefined, 'pci', 'dev'),
  pciLabel: fc.constantFrom('true', 'false'),
  admitted: fc.boolean(),
  kind: fc.constantFrom('Deployment', 'Pod'),
  name: fc.constantFrom('web', 'api'),
  app: fc.constantFrom(undefined, 'web'),
  secrets: fc.constantFrom([], ['acme'], ['other']),
  container,
  sidecar: fc.option(container, { freq: 4 }),
});

type Evaluation = typeof evaluation extends fc.Arbitrary<infer T> ? T : never;
type Container = Evaluation['container'];

const FIELDS = ['namespace', 'tier', 'pciLabel', 'admitted', 'kind', 'name', 'app', 'secrets'] as const;
const CONTAINER_FIELDS = ['list', 'name', 'image', 'pullPolicy'] as const;

/**
 * Workloads that differ from one base in one fact each (or in one fact of its container): when a
 * key leaves out a fact a rule reads, two of them share an entry and one gets the other's answer.
 */
const workloads = fc
  .tuple(
    evaluation,
    fc.array(
      fc.tuple(fc.constantFrom(...FIELDS, ...CONTAINER_FIELDS.map((f) => `container.${f}`)), evaluation),
      {
        minLength: 1,
        maxLength: 6,
      },
    ),
  )
  .map(([base, variations]) => [
    base,
    ...variations.map(([field, other]): Evaluation => {
      if (!field.startsWith('container.'))
        return { ...base, [field]: other[field as (typeof FIELDS)[number]] };
      const name = field.slice('container.'.length) as keyof Container;
      return { ...base, container: { ...base.container, [name]: other.container[name] } };
    }),
  ]);

const step = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('evaluate' as const), workload: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('new' as const), evaluation }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reload' as const), set: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'bad-reload' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('move' as const), state: fc.nat(2) }) },
  // a day either way around the exemption's expiry (2027-01-31, through the end of that day)
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('clock' as const), hours: fc.integer({ min: 0, max: 48 }) }),
  },
);

function manifest(e: Evaluation): string {
  const lists: Record<string, Record<string, unknown>[]> = { containers: [] };
  for (const c of e.sidecar === null ? [e.container] : [e.container, e.sidecar]) {
    const list = c.list === 'sidecar' ? 'initContainers' : c.list;
    const policy =
      c.pullPolicy === undefined
        ? {}
        : { [list === 'volumes' ? 'pullPolicy' : 'imagePullPolicy']: c.pullPolicy };
    const entry =
      list === 'volumes'
        ? { name: c.name, image: { reference: c.image, ...policy } }
        : {
            name: c.name,
            image: c.image,
            ...policy,
            ...(c.list === 'sidecar' ? { restartPolicy: 'Always' } : {}),
          };
    lists[list] = [...(lists[list] ?? []), entry];
  }
  const spec =
    e.secrets.length > 0 ? { imagePullSecrets: e.secrets.map((name) => ({ name })), ...lists } : lists;
  const metadata = {
    name: e.name,
    namespace: e.namespace,
    ...(e.app === undefined ? {} : { labels: { app: e.app } }),
  };
  const object =
    e.kind === 'Pod'
      ? { apiVersion: 'v1', kind: 'Pod', metadata, spec }
      : { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { template: { spec } } };
  return JSON.stringify(object);
}

/** Everything a report says about the input (its summary also counts cache hits). */
const answer = (report: Report) => ({
  verdict: report.verdict,
  findings: report.findings,
  errors: report.errors,
  warnings: report.warnings,
  mutations: report.mutations,
});

describe('a cached evaluation', () => {
  it('answers exactly as an engine without a cache, with fresh Facts for every image', async () => {
    let hits = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        workloads,
        fc.array(step, { minLength: 10, maxLength: 40 }),
        async (max, pool, steps) => {
          const clock = new FakeClock(Date.parse('2027-01-31T12:00:00Z'));
          let registry = createFixtureResolver(REGISTRY_STATES[0]!);
          const resolver: RegistryResolver = {
            resolve: (reference, options) => registry.resolve(reference, options),
          };
          const cached = createEngine({
            policies: policies(policyText(POLICY_SETS[0]!)),
            cache: { max },
            clock,
            resolver,
          });
          const reference = createEngine({
            policies: referencePolicies(POLICY_SETS[0]!),
            plugins: [neverFlags],
            cache: false,
            clock,
            resolver,
          });
          for (const s of steps) {
            if (s.kind === 'reload') {
              expect(cached.reload(policies(policyText(POLICY_SETS[s.set]!))).ok).toBe(true);
              expect(reference.reload(referencePolicies(POLICY_SETS[s.set]!)).ok).toBe(true);
            } else if (s.kind === 'bad-reload') {
              // a reload that fails keeps the set that serves, and its cached answers
              expect(
                cached.reload(policies(policyText(POLICY_SETS[0]!, '    - rule: no-such-rule\n'))).ok,
              ).toBe(false);
            } else if (s.kind === 'move') {
              registry = createFixtureResolver(REGISTRY_STATES[s.state]!);
            } else if (s.kind === 'clock') {
              clock.time += s.hours * 3_600_000 - 24 * 3_600_000;
            } else {
              const e = s.kind === 'new' ? s.evaluation : pool[s.workload % pool.length]!;
              const text = manifest(e);
              const options = {
                admitted: e.admitted,
                namespaceLabels:
                  e.tier === undefined ? {} : { [e.namespace]: { tier: e.tier, pci: e.pciLabel } },
              };
              const [got, expected] = await Promise.all([
                cached.evaluateText(text, options),
                reference.evaluateText(text, options),
              ]);
              expect(answer(got), text).toEqual(answer(expected));
            }
          }
          const stats = cached.cacheStats();
          expect(stats.size).toBeLessThanOrEqual(max);
          hits += stats.hits;
        },
      ),
      { numRuns: 100 },
    );
    // the answers compared were the cache's often enough to mean something (about 1,000 hits)
    expect(hits).toBeGreaterThan(400);
  });
});
