import { describe, expect, it } from 'vitest';
import { imageNames, megabytesRetainedBy } from '../__fixtures__/retained-heap.js';
import { loadManifests } from '../manifests/load-manifests.js';
import type { PluginDefinition } from '../rule-contract.js';
import {
  deployment,
  digestPolicy,
  engineFor,
  FakeClock,
  policies,
  policyUsing,
} from './__fixtures__/engine-harness.js';
import { ResultCache } from './result-cache.js';

const web = deployment('web', 'prod', [{ image: 'nginx:1.25' }]);

describe('ResultCache', () => {
  it('serves an entry until its end of validity on the injected clock', () => {
    const cache = new ResultCache<{ v: number }>({ max: 10 });
    cache.set('k', { v: 1 }, 1000, 2000);
    expect(cache.get('k', 1999)).toEqual({ v: 1 });
    expect(cache.get('k', 2000)).toBeUndefined();
    expect(cache.stats()).toEqual({ hits: 1, misses: 1, size: 0, max: 10 });
  });

  it('ends entries at the TTL when that comes first', () => {
    const cache = new ResultCache<{ v: number }>({ ttlMs: 100 });
    cache.set('k', { v: 1 }, 1000, undefined);
    expect(cache.get('k', 1099)).toBeDefined();
    expect(cache.get('k', 1100)).toBeUndefined();
  });

  it('never stores an entry that is already stale', () => {
    const cache = new ResultCache<{ v: number }>();
    cache.set('k', { v: 1 }, 1000, 1000);
    expect(cache.stats().size).toBe(0);
  });

  it('holds at most `max` entries, keeping those that are hit', () => {
    const cache = new ResultCache<{ v: number }>({ max: 2 });
    cache.set('a', { v: 1 }, 0, undefined);
    cache.set('b', { v: 2 }, 0, undefined);
    cache.get('a', 0);
    cache.set('c', { v: 3 }, 0, undefined);
    expect([cache.get('a', 0), cache.get('b', 0), cache.get('c', 0)]).toEqual([
      { v: 1 },
      undefined,
      { v: 3 },
    ]);
    expect(cache.stats().size).toBe(2);
  });

  it('keeps an entry hit once per max/2 stores through any number of stores', () => {
    const cache = new ResultCache<{ v: number }>({ max: 10 });
    cache.set('hot', { v: 0 }, 0, undefined);
    for (let i = 0; i < 100; i++) {
      cache.set(`cold-${i}`, { v: i }, 0, undefined);
      if (i % 5 === 4) expect(cache.get('hot', 0)).toEqual({ v: 0 });
    }
    expect(cache.get('cold-0', 0)).toBeUndefined();
    expect(cache.stats().size).toBe(10);
  });

  it('keeps its memory to what its entries need, however often they are stored again and hit', () => {
    // A server's cache is full, evicts now and then, and is otherwise stored into again and hit:
    // that must not leave memory behind (docs/performance-invariants.md#bounded-memos). 20,000
    // entries make tables of a megabyte; 800,000 stores and hits would rebuild them many times over.
    const max = 20_000;
    const cache = new ResultCache<{ v: number }>({ max });
    const keys = imageNames(max + 1);
    for (const [i, key] of keys.entries()) cache.set(key, { v: i }, 0, undefined);
    const kept = keys.slice(1);
    const retained = megabytesRetainedBy(() => {
      for (let round = 0; round < 20; round++) {
        for (const key of kept) cache.set(key, { v: round }, 0, undefined);
        for (const key of kept) cache.get(key, 0);
      }
    });
    expect(retained).toBeLessThan(4);
    expect(cache.stats()).toMatchObject({ size: max, hits: 20 * max });
  });

  it('rejects nonsensical sizes', () => {
    expect(() => new ResultCache({ max: 0 })).toThrow(/positive integer/);
    expect(() => new ResultCache({ ttlMs: -1 })).toThrow(/positive number/);
  });
});

describe('the engine’s result cache', () => {
  it('answers a repeated evaluation from the cache with the same report', async () => {
    const engine = engineFor(digestPolicy());
    const cold = await engine.evaluateText(web);
    const warm = await engine.evaluateText(web);
    expect(cold.summary.cache).toEqual({ hits: 0, misses: 1 });
    expect(warm.summary.cache).toEqual({ hits: 1, misses: 0 });
    expect(warm.findings).toEqual(cold.findings);
    expect(engine.cacheStats()).toEqual({ hits: 1, misses: 1, size: 1, max: 50_000 });
  });

  it('shares entries between workloads when no rule reads the workload', async () => {
    const engine = engineFor(digestPolicy());
    await engine.evaluateText(web);
    const other = await engine.evaluateText(
      deployment('api', 'prod', [{ name: 'other', image: 'nginx:1.25' }]),
    );
    expect(other.summary.cache).toEqual({ hits: 1, misses: 0 });
    expect(other.findings[0]?.workload.name).toBe('api');
    expect(other.findings[0]?.container.name).toBe('other');
  });

  it('misses after a reload: the new policy set has new plan identities', async () => {
    const engine = engineFor(digestPolicy());
    await engine.evaluateText(web);
    const before = engine.fingerprint;
    expect(engine.reload(policies(digestPolicy('[prod, dev]'))).ok).toBe(true);
    expect(engine.fingerprint).not.toBe(before);
    expect((await engine.evaluateText(web)).summary.cache).toEqual({ hits: 0, misses: 1 });
  });

  it('never gives an image the answer of another, however many images it has met', async () => {
    // Keys carry a number per image string; the table of those numbers is emptied when it holds
    // twice the cache's size, while entries stay. `latest` is hit between the others, so its entry
    // outlives the table, and the images met after that must not be taken for it.
    const engine = engineFor(digestPolicy(), { cache: { max: 2 } });
    const pinned = (name: string) =>
      deployment(name, 'prod', [{ image: `ghcr.io/acme/${name}@sha256:${'a'.repeat(64)}` }]);
    const latest = deployment('latest', 'prod', [{ image: 'nginx:latest' }]);
    for (const name of ['b', 'c', 'd', 'e', 'f']) {
      expect((await engine.evaluateText(latest)).findings.map((f) => f.image.raw)).toEqual(['nginx:latest']);
      const report = await engine.evaluateText(pinned(name));
      expect(report.summary.cache).toEqual({ hits: 0, misses: 1 });
      expect(report.findings).toEqual([]);
    }
    // `latest` was answered from the cache for c, d and e; e emptied the table, so for f its rules ran again
    expect(engine.cacheStats()).toMatchObject({ hits: 3, misses: 7 });
  });

  it('lets go of the entries of the replaced policy set at a reload (none can be hit again)', async () => {
    const engine = engineFor(digestPolicy());
    await engine.evaluateText(web);
    expect(engine.cacheStats().size).toBe(1);
    expect(engine.reload(policies(digestPolicy())).ok).toBe(true);
    expect(engine.cacheStats().size).toBe(0);
    await engine.evaluateText(web);
    expect(engine.reload(policies(`${digestPolicy()}    - rule: no-such-rule\n`)).ok).toBe(false);
    expect(engine.cacheStats().size).toBe(1);
  });

  it('never serves an entry past the next exemption expiry', async () => {
    const withExemption = `${digestPolicy()}  exemptions:
    - rules: [require-digest]
      images: [ghcr.io/acme/legacy]
      expires: "2027-01-31"
`;
    const clock = new FakeClock(Date.parse('2027-01-31T12:00:00Z'));
    const engine = engineFor(withExemption, { clock });
    expect((await engine.evaluateText(web)).summary.cache).toEqual({ hits: 0, misses: 1 });
    clock.set('2027-01-31T23:59:59.999Z');
    expect((await engine.evaluateText(web)).summary.cache).toEqual({ hits: 1, misses: 0 });
    clock.set('2027-02-01T00:00:00Z');
    expect((await engine.evaluateText(web)).summary.cache).toEqual({ hits: 0, misses: 1 });
  });

  it('ends entries at the configured TTL on the injected clock', async () => {
    const clock = new FakeClock(0);
    const engine = engineFor(digestPolicy(), { clock, cache: { ttlMs: 60_000 } });
    await engine.evaluateText(web);
    clock.time = 59_999;
    expect((await engine.evaluateText(web)).summary.cache.hits).toBe(1);
    clock.time = 60_000;
    expect((await engine.evaluateText(web)).summary.cache).toEqual({ hits: 0, misses: 1 });
  });

  it('keys on the facts the plan reads: pull secrets for private-images', async () => {
    const engine = engineFor(`apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: private }
spec:
  namespaces: ["*"]
  rules:
    - rule: private-images
      with: { registries: [registry.acme.io/] }
`);
    const image = [{ image: 'registry.acme.io/team/api:1' }];
    expect((await engine.evaluateText(deployment('a', 'prod', image))).findings).toHaveLength(1);
    const withSecret = await engine.evaluateText(
      deployment('a', 'prod', image, { imagePullSecrets: ['acme'] }),
    );
    expect(withSecret.summary.cache).toEqual({ hits: 0, misses: 1 });
    expect(withSecret.findings).toEqual([]);
  });

  it('keys on namespace labels when an expression reads them', async () => {
    const engine = engineFor(`apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: by-label }
spec:
  namespaces: ["*"]
  rules:
    - rule: expression
      id: no-hub-in-pci
      when: { and: [{ "==": [{ var: namespace.labels.pci }, "true"] }, { "==": [{ var: image.domain }, docker.io] }] }
      message: "{{image.familiar}} comes from Docker Hub, which PCI namespaces may not use"
`);
    expect(
      (await engine.evaluateText(web, { namespaceLabels: { prod: { pci: 'false' } } })).findings,
    ).toEqual([]);
    const pci = await engine.evaluateText(web, { namespaceLabels: { prod: { pci: 'true' } } });
    expect(pci.summary.cache).toEqual({ hits: 0, misses: 1 });
    expect(pci.findings.map((f) => f.message)).toEqual([
      'nginx:1.25 comes from Docker Hub, which PCI namespaces may not use',
    ]);
  });

  it('keys on a workload as it is when evaluated: loaded manifests cannot change under their cached answers', async () => {
    const engine = engineFor(
      policyUsing([
        '{ rule: expression, id: app-label, when: { "!": { var: workload.labels.app } }, message: "{{workload.name}} has no app label" }',
      ]),
    );
    const loaded = loadManifests(
      deployment('web', 'prod', [{ image: 'nginx:1.25' }]).replace(
        'metadata:',
        'metadata:\n  labels: { app: web }',
      ),
    );
    expect((await engine.evaluateLoaded(loaded)).findings).toEqual([]);
    // The workload's part of the key is worked out once per workload: what it was made from stays as it was.
    expect(() => {
      delete (loaded.images[0]!.workload.labels as Record<string, string>).app;
    }).toThrow(TypeError);
    expect(() => {
      (loaded.images[0]!.workload as { name: string }).name = 'api';
    }).toThrow(TypeError);
    expect((await engine.evaluateLoaded(loaded)).findings).toEqual([]);
  });

  it('never caches a rule that is not deterministic, and still caches the others', async () => {
    let calls = 0;
    const plugin: PluginDefinition = {
      name: 'acme',
      rules: [
        {
          id: 'acme/live',
          description: 'asks a service every time',
          deterministic: false,
          check: (_facts, ctx) => {
            calls++;
            return ctx.fail(`call ${calls}`);
          },
        },
      ],
    };
    const engine = engineFor(`${digestPolicy()}    - rule: acme/live\n`, { plugins: [plugin] });
    const first = await engine.evaluateText(web);
    const second = await engine.evaluateText(web);
    expect(calls).toBe(2);
    expect(second.summary.cache).toEqual({ hits: 1, misses: 0 });
    expect(first.findings.map((f) => f.message)).toEqual([
      'call 1',
      expect.stringMatching(/not pinned by digest/),
    ]);
    expect(second.findings.map((f) => f.message)).toEqual([
      'call 2',
      expect.stringMatching(/not pinned by digest/),
    ]);
  });

  it('does not cache a failed rule, so a transient failure is retried', async () => {
    let fail = true;
    const plugin: PluginDefinition = {
      name: 'acme',
      rules: [
        {
          id: 'acme/flaky',
          description: 'fails once',
          check: () => {
            if (fail) throw new Error('service unavailable');
          },
        },
      ],
    };
    const engine = engineFor(`${digestPolicy()}    - rule: acme/flaky\n`, { plugins: [plugin] });
    expect((await engine.evaluateText(web)).findings.map((f) => f.status)).toEqual(['error', 'violation']);
    fail = false;
    const retried = await engine.evaluateText(web);
    expect(retried.summary.cache).toEqual({ hits: 0, misses: 1 });
    expect(retried.findings.map((f) => f.status)).toEqual(['violation']);
    expect((await engine.evaluateText(web)).summary.cache).toEqual({ hits: 1, misses: 0 });
  });

  it('can be turned off', async () => {
    const engine = engineFor(digestPolicy(), { cache: false });
    await engine.evaluateText(web);
    expect((await engine.evaluateText(web)).summary.cache).toEqual({ hits: 0, misses: 0 });
    expect(engine.cacheStats()).toEqual({ hits: 0, misses: 0, size: 0, max: 0 });
  });
});
