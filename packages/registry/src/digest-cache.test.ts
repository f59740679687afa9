import type { RegistryFailureKind, Resolution } from '@pullguard/engine';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../test/helpers.js';
import { cacheKey, DigestCache } from './digest-cache.js';

const D1 = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'b'.repeat(64)}`;
const TAG = { registry: 'r.example', repository: 'team/app', tag: '1' };
const tagRef = { ...TAG, key: cacheKey(TAG) };
const digestRef = (digest: string) => {
  const reference = { ...TAG, tag: undefined, digest };
  return { ...reference, key: cacheKey(reference) };
};

const answer = (digest: string, resolvedAt: number): Resolution => ({
  ok: true,
  manifest: {
    digest,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    index: false,
    stale: false,
    resolvedAt,
  },
});
const failing = (kind: RegistryFailureKind): Resolution => ({
  ok: false,
  failure: { kind, host: 'r.example', message: kind, hint: '' },
});

function setup() {
  const clock = manualClock();
  const outcomes: string[] = [];
  const cache = new DigestCache({
    tagTtlMs: 1000,
    hardTtlMs: 10_000,
    digestTtlMs: 100_000,
    max: 100,
    now: clock.now,
    listener: { cache: (event) => outcomes.push(`${event.kind}:${event.outcome}`) },
  });
  return { clock, cache, outcomes };
}

describe('DigestCache', () => {
  it('serves a tag fresh within the soft TTL, then asks again', async () => {
    const { clock, cache, outcomes } = setup();
    let calls = 0;
    const fetch = async () => answer(++calls === 1 ? D1 : D2, clock.now());
    expect(await cache.resolve(tagRef, fetch)).toMatchObject({ ok: true, manifest: { digest: D1 } });
    clock.advance(999);
    expect(await cache.resolve(tagRef, fetch)).toMatchObject({ ok: true, manifest: { digest: D1 } });
    clock.advance(1);
    expect(await cache.resolve(tagRef, fetch)).toMatchObject({
      ok: true,
      manifest: { digest: D2, stale: false },
    });
    expect(outcomes).toEqual(['tag:miss', 'tag:hit', 'tag:miss']);
  });

  it('stands in for a failing registry with a stale answer until the hard TTL, for transient failures only', async () => {
    const { clock, cache, outcomes } = setup();
    await cache.resolve(tagRef, async () => answer(D1, clock.now()));
    clock.advance(5000);
    for (const kind of ['unreachable', 'timeout', 'rate-limited'] as const) {
      expect(await cache.resolve(tagRef, async () => failing(kind))).toMatchObject({
        ok: true,
        manifest: { digest: D1, stale: true },
      });
    }
    for (const kind of ['not-found', 'unauthorized', 'tls', 'protocol'] as const) {
      expect(await cache.resolve(tagRef, async () => failing(kind))).toMatchObject({
        ok: false,
        failure: { kind },
      });
    }
    clock.advance(5001); // past the hard TTL of 10 s
    expect(await cache.resolve(tagRef, async () => failing('unreachable'))).toMatchObject({
      ok: false,
      failure: { kind: 'unreachable' },
    });
    expect(outcomes.filter((outcome) => outcome === 'tag:stale')).toHaveLength(3);
  });

  it('keeps a digest long and records the digest a tag named, never the tag under a digest', async () => {
    const { clock, cache } = setup();
    await cache.resolve(tagRef, async () => answer(D1, clock.now()));
    clock.advance(50_000);
    const never = async (): Promise<Resolution> => {
      throw new Error('must not ask the registry');
    };
    expect(await cache.resolve(digestRef(D1), never)).toMatchObject({ ok: true, manifest: { digest: D1 } });
    expect(await cache.resolve(digestRef(D2), async () => failing('not-found'))).toMatchObject({ ok: false });
  });

  it('shares one lookup among concurrent callers; one giving up does not cancel the others', async () => {
    const { clock, cache } = setup();
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fetch = async () => {
      calls++;
      await gate;
      return answer(D1, clock.now());
    };
    const impatient = new AbortController();
    const results = [
      cache.resolve(tagRef, fetch, impatient.signal),
      ...Array.from({ length: 9 }, () => cache.resolve(tagRef, fetch)),
    ];
    impatient.abort();
    release();
    const [first, ...rest] = await Promise.all(results);
    expect(first).toMatchObject({ ok: false, failure: { kind: 'timeout' } });
    for (const result of rest) expect(result).toMatchObject({ ok: true, manifest: { digest: D1 } });
    expect(calls).toBe(1);
  });

  it('never vouches for a digest it was not given (GHSA-2r43-6962-xcw5), whatever happens to the tag', async () => {
    // A random history of tag moves, clock steps and lookups: every answer for the tag is a digest
    // the registry named for it within the soft TTL (or, marked stale, before its failure), and
    // every digest question is answered only with that digest.
    const digests = [D1, D2, `sha256:${'c'.repeat(64)}`];
    const step = fc.oneof(
      fc.record({ op: fc.constant('move' as const), to: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 3000 }) }),
      fc.record({ op: fc.constant('tag' as const), fail: fc.boolean() }),
      fc.record({ op: fc.constant('digest' as const), which: fc.integer({ min: 0, max: 2 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const { clock, cache } = setup();
        let current = 0;
        // Every answer the registry gave for the tag; the cache may only ever serve the latest.
        const answers: Array<{ digest: string; resolvedAt: number }> = [];
        for (const s of steps) {
          if (s.op === 'move') current = s.to;
          else if (s.op === 'tick') clock.advance(s.ms);
          else if (s.op === 'tag') {
            const result = await cache.resolve(tagRef, async () => {
              if (s.fail) return failing('unreachable');
              answers.push({ digest: digests[current]!, resolvedAt: clock.now() });
              return answer(digests[current]!, clock.now());
            });
            if (!result.ok) continue;
            const { digest, stale, resolvedAt } = result.manifest;
            expect({ digest, resolvedAt }).toEqual(answers.at(-1));
            // A fresh answer is never older than the soft TTL, a stale one never older than the hard TTL.
            expect(clock.now() - resolvedAt).toBeLessThan(stale ? 10_000 : 1000);
          } else {
            const asked = digests[s.which]!;
            const result = await cache.resolve(digestRef(asked), async () => answer(asked, clock.now()));
            if (result.ok) expect(result.manifest.digest).toBe(asked);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
