import type { RegistryReference } from '@pullguard/engine';
import { createRegistryClient, type RegistryClient } from '@pullguard/registry';
import {
  freePort,
  type LocalRegistry,
  type PushedManifest,
  type RegistryProxy,
  startLocalRegistry,
  startRegistryProxy,
} from '@pullguard/registry/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, recordingListener, skipReason } from './helpers.js';

/** The client against a real registry (distribution 2.8.2) without auth, through a counting proxy. */
describe.skipIf(skipReason !== undefined)('a real registry without auth', () => {
  let registry: LocalRegistry;
  let proxy: RegistryProxy;
  let single: PushedManifest;
  let multi: PushedManifest;
  const clients: RegistryClient[] = [];
  const client = (options: Parameters<typeof createRegistryClient>[0] = {}) => {
    const created = createRegistryClient({ plainHttp: ['127.0.0.1'], timeoutMs: 5000, ...options });
    clients.push(created);
    return created;
  };
  const at = (host: string, repository: string, tag?: string, digest?: string): RegistryReference => ({
    registry: host,
    repository,
    tag,
    digest,
  });

  beforeAll(async () => {
    registry = await startLocalRegistry();
    proxy = await startRegistryProxy({ target: registry.host });
    single = await registry.push.pushImage('team/app', '1.0');
    multi = (await registry.push.pushMultiPlatform('team/multi', '1.0')).index;
  });
  afterAll(async () => {
    for (const created of clients) created.close();
    await proxy?.stop();
    await registry?.stop();
  });

  it('resolves a tag with one HEAD: the digest and media type the registry holds, no GET', async () => {
    const before = proxy.manifestRequests().length;
    const result = await client().resolve(at(proxy.host, 'team/app', '1.0'));
    expect(result).toMatchObject({
      ok: true,
      manifest: { digest: single.digest, mediaType: single.mediaType, index: false, stale: false },
    });
    const requests = proxy.manifestRequests().slice(before);
    expect(requests.map((request) => request.method)).toEqual(['HEAD']);
  });

  it('resolves a multi-platform tag to the OCI index digest (the pin that is right on every node)', async () => {
    const result = await client().resolve(at(proxy.host, 'team/multi', '1.0'));
    expect(result).toMatchObject({
      ok: true,
      manifest: { digest: multi.digest, mediaType: 'application/vnd.oci.image.index.v1+json', index: true },
    });
  });

  it('proves a digest exists, and says not-found for a digest or tag that does not', async () => {
    const resolver = client();
    expect(await resolver.resolve(at(proxy.host, 'team/app', undefined, single.digest))).toMatchObject({
      ok: true,
      manifest: { digest: single.digest },
    });
    const missingDigest = `sha256:${'0'.repeat(64)}`;
    expect(await resolver.resolve(at(proxy.host, 'team/app', undefined, missingDigest))).toMatchObject({
      ok: false,
      failure: { kind: 'not-found', host: proxy.host, status: 404 },
    });
    const typo = await resolver.resolve(at(proxy.host, 'team/app', '1.O'));
    expect(typo).toMatchObject({ ok: false, failure: { kind: 'not-found', host: proxy.host, status: 404 } });
    if (!typo.ok) expect(typo.failure.message).toContain(`${proxy.host}/team/app:1.O`);
  });

  it('the registry itself served HEADs only: its access log has no manifest GET from the client', async () => {
    await client().resolve(at(registry.host, 'team/app', '1.0'));
    const heads = await registry.waitForAccessLog(
      (entry) => entry.method === 'HEAD' && entry.path === '/v2/team/app/manifests/1.0',
      1,
    );
    expect(heads.length).toBeGreaterThan(0);
    expect(
      registry.accessLog().filter((entry) => entry.method === 'GET' && entry.path.includes('/manifests/')),
    ).toEqual([]);
  });

  it('shares one request among concurrent lookups of one tag (single-flight)', async () => {
    const resolver = client();
    const before = proxy.manifestRequests().length;
    const results = await Promise.all(
      Array.from({ length: 25 }, () => resolver.resolve(at(proxy.host, 'team/multi', '1.0'))),
    );
    expect(new Set(results.map((result) => (result.ok ? result.manifest.digest : 'failed')))).toEqual(
      new Set([multi.digest]),
    );
    expect(proxy.manifestRequests().slice(before)).toHaveLength(1);
  });

  it('never vouches for a moved tag past the soft TTL, and a tag entry never answers a digest question', async () => {
    const clock = manualClock();
    const listener = recordingListener();
    const resolver = client({ now: clock.now, digestTtlMs: 60_000, listener });
    const first = await registry.push.pushImage('team/moving', 'stable');
    const moved = await registry.push.pushImage('team/moving', 'next');
    const before = await resolver.resolve(at(proxy.host, 'team/moving', 'stable'));
    expect(before).toMatchObject({ ok: true, manifest: { digest: first.digest } });

    await registry.push.tag('team/moving', 'stable', moved.digest);
    // Within the soft TTL the cached answer stands, and it says which digest it vouches for.
    clock.advance(59_000);
    expect(await resolver.resolve(at(proxy.host, 'team/moving', 'stable'))).toMatchObject({
      ok: true,
      manifest: { digest: first.digest, stale: false },
    });
    // A digest question is answered for that digest, never from the tag's entry.
    const other = `sha256:${'1'.repeat(64)}`;
    expect(await resolver.resolve(at(proxy.host, 'team/moving', 'stable', other))).toMatchObject({
      ok: false,
      failure: { kind: 'not-found' },
    });
    expect(await resolver.resolve(at(proxy.host, 'team/moving', 'stable', moved.digest))).toMatchObject({
      ok: true,
      manifest: { digest: moved.digest },
    });
    // Past the soft TTL the registry is asked again and the new digest is reported.
    clock.advance(2_000);
    expect(await resolver.resolve(at(proxy.host, 'team/moving', 'stable'))).toMatchObject({
      ok: true,
      manifest: { digest: moved.digest, stale: false },
    });
    const outcomes = listener.events
      .filter((entry) => entry.type === 'cache')
      .map((entry) => (entry.event as { outcome: string }).outcome);
    expect(outcomes).toEqual(['miss', 'hit', 'miss', 'miss', 'miss']);
  });

  it('serves a stale answer (marked) while the registry is down, until the hard TTL', async () => {
    const clock = manualClock();
    const flaky = await startRegistryProxy({ target: registry.host });
    const resolver = client({ now: clock.now, digestTtlMs: 1000, hardTtlMs: 10_000 });
    const reference = at(flaky.host, 'team/app', '1.0');
    expect(await resolver.resolve(reference)).toMatchObject({ ok: true, manifest: { stale: false } });
    await flaky.stop();
    clock.advance(5000);
    expect(await resolver.resolve(reference)).toMatchObject({
      ok: true,
      manifest: { digest: single.digest, stale: true },
    });
    clock.advance(6000);
    expect(await resolver.resolve(reference)).toMatchObject({
      ok: false,
      failure: { kind: 'unreachable', host: flaky.host },
    });
  });

  it('falls back to GET and hashes the body when the registry omits Docker-Content-Digest', async () => {
    const stripping = await startRegistryProxy({ target: registry.host, stripDigest: true });
    try {
      const resolver = client();
      expect(await resolver.resolve(at(stripping.host, 'team/multi', '1.0'))).toMatchObject({
        ok: true,
        manifest: { digest: multi.digest, index: true },
      });
      expect(await resolver.resolve(at(stripping.host, 'team/app', undefined, single.digest))).toMatchObject({
        ok: true,
        manifest: { digest: single.digest },
      });
      expect(stripping.manifestRequests().map((request) => request.method)).toEqual([
        'HEAD',
        'GET',
        'HEAD',
        'GET',
      ]);
    } finally {
      await stripping.stop();
    }
  });

  it('gives up on a slow registry at the deadline with a timeout failure and a hint', async () => {
    const slow = await startRegistryProxy({ target: registry.host, delayMs: 3000 });
    try {
      const result = await client({ timeoutMs: 300 }).resolve(at(slow.host, 'team/app', '1.0'));
      expect(result).toMatchObject({ ok: false, failure: { kind: 'timeout', host: slow.host } });
      if (!result.ok) expect(result.failure.hint).toContain('--registry-timeout');
      // The caller's own signal (the admission deadline) ends the wait too.
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const aborted = await client({ timeoutMs: 10_000 }).resolve(at(slow.host, 'team/app', '1.0'), {
        signal: controller.signal,
      });
      expect(aborted).toMatchObject({ ok: false, failure: { kind: 'timeout' } });
    } finally {
      await slow.stop();
    }
  });

  it('says unreachable for a dead port', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const result = await client().resolve(at(dead, 'team/app', '1.0'));
    expect(result).toMatchObject({ ok: false, failure: { kind: 'unreachable', host: dead } });
  });

  it('refuses plain HTTP unless the host is listed, and says how to allow it', async () => {
    const result = await client({ plainHttp: [] }).resolve(at(registry.host, 'team/app', '1.0'));
    expect(result).toMatchObject({ ok: false, failure: { kind: 'tls', host: registry.host } });
    if (!result.ok) expect(result.failure.hint).toContain(`--plain-http ${registry.host}`);
  });
});
