import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fakeTransport, response } from '../test/fake-transport.js';
import { manualClock } from '../test/helpers.js';
import { MANIFEST_ACCEPT, OCI_INDEX } from './media-types.js';
import { createRegistryClient } from './resolver.js';
import type { TransportRequest, TransportResponse } from './transport.js';

const INDEX_BODY = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] });
const INDEX_DIGEST = `sha256:${createHash('sha256').update(INDEX_BODY).digest('hex')}`;
const HUB_CHALLENGE =
  'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"';

/** Docker Hub as it answers: 401 + challenge without a token, a token from auth.docker.io, HEAD with headers. */
function dockerHub(options: { digestHeader?: boolean; tokenLifetime?: number } = {}) {
  const tokens: string[] = [];
  return fakeTransport((request: TransportRequest): TransportResponse => {
    if (request.url.host === 'auth.docker.io') {
      const token = `hub-token-${tokens.length}`;
      tokens.push(token);
      return response(200, {}, JSON.stringify({ token, expires_in: options.tokenLifetime ?? 300 }));
    }
    const current = `Bearer hub-token-${tokens.length - 1}`;
    if (request.headers.authorization !== current) {
      return response(401, { 'www-authenticate': HUB_CHALLENGE });
    }
    const headers: Record<string, string> = {
      'content-type': OCI_INDEX,
      'ratelimit-remaining': '99;w=21600',
    };
    if (options.digestHeader !== false) headers['docker-content-digest'] = INDEX_DIGEST;
    return response(200, headers, request.method === 'GET' ? INDEX_BODY : '');
  });
}

describe('createRegistryClient', () => {
  it('asks registry-1.docker.io for docker.io: ping, anonymous token for repository:NAME:pull, one HEAD', async () => {
    const transport = dockerHub();
    const client = createRegistryClient({ transport });
    const result = await client.resolve({ registry: 'docker.io', repository: 'library/nginx', tag: '1.27' });
    expect(result).toMatchObject({
      ok: true,
      manifest: { digest: INDEX_DIGEST, mediaType: OCI_INDEX, index: true },
    });
    expect(transport.requests.map((request) => `${request.method} ${request.url.href}`)).toEqual([
      'GET https://registry-1.docker.io/v2/',
      'GET https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Fnginx%3Apull',
      'HEAD https://registry-1.docker.io/v2/library/nginx/manifests/1.27',
    ]);
    const head = transport.requests[2]!;
    expect(head.headers.accept).toBe(MANIFEST_ACCEPT);
    expect(head.headers.accept?.split(', ')).toEqual([
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.docker.distribution.manifest.v2+json',
    ]);
    expect(transport.requests[1]!.headers.authorization).toBeUndefined();
  });

  it('normalizes as the engine does: index.docker.io and a one-component name; no tag means latest', async () => {
    const transport = dockerHub();
    const client = createRegistryClient({ transport });
    await client.resolve({ registry: 'index.docker.io', repository: 'nginx' });
    expect(transport.requests.at(-1)!.url.pathname).toBe('/v2/library/nginx/manifests/latest');
  });

  it('renews an expired token when the registry answers 401, once', async () => {
    const clock = manualClock();
    const transport = dockerHub({ tokenLifetime: 60 });
    const client = createRegistryClient({ transport, now: clock.now, digestTtlMs: 1 });
    await client.resolve({ registry: 'docker.io', repository: 'library/nginx', tag: '1' });
    clock.advance(120_000);
    expect(
      await client.resolve({ registry: 'docker.io', repository: 'library/nginx', tag: '1' }),
    ).toMatchObject({
      ok: true,
    });
    expect(transport.requests.filter((request) => request.url.host === 'auth.docker.io')).toHaveLength(2);
  });

  it('GETs and hashes the manifest only when HEAD has no Docker-Content-Digest', async () => {
    const transport = dockerHub({ digestHeader: false });
    const client = createRegistryClient({ transport });
    expect(
      await client.resolve({ registry: 'docker.io', repository: 'library/nginx', tag: '1' }),
    ).toMatchObject({
      ok: true,
      manifest: { digest: INDEX_DIGEST, index: true },
    });
    expect(transport.requests.slice(-2).map((request) => request.method)).toEqual(['HEAD', 'GET']);
  });

  it('fails protocol when a digest lookup is answered with other content (HEAD header or GET body)', async () => {
    const other = `sha256:${'e'.repeat(64)}`;
    for (const digestHeader of [true, false]) {
      const client = createRegistryClient({ transport: dockerHub({ digestHeader }) });
      const result = await client.resolve({
        registry: 'docker.io',
        repository: 'library/nginx',
        digest: other,
      });
      expect(result).toMatchObject({
        ok: false,
        failure: { kind: 'protocol', host: 'registry-1.docker.io' },
      });
    }
  });

  it('fails protocol for a malformed digest header', async () => {
    const transport = fakeTransport((request) =>
      request.url.pathname === '/v2/' ? response(200) : response(200, { 'docker-content-digest': 'md5:abc' }),
    );
    const result = await createRegistryClient({ transport }).resolve({
      registry: 'r.example',
      repository: 'a',
      tag: '1',
    });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'protocol', host: 'r.example' } });
  });

  it('answers an invalid reference with a failure and no request', async () => {
    const transport = fakeTransport(() => response(200));
    const client = createRegistryClient({ transport });
    for (const reference of [
      { registry: 'r.example', repository: '../../etc', tag: '1' },
      { registry: 'r.example', repository: 'a', tag: 'bad tag' },
      { registry: 'r.example', repository: 'a', digest: 'sha256:short' },
    ]) {
      expect(await client.resolve(reference)).toMatchObject({ ok: false, failure: { kind: 'protocol' } });
    }
    expect(transport.requests).toHaveLength(0);
  });

  it('never throws or rejects, even when the transport or credential source throws something odd', async () => {
    const client = createRegistryClient({
      transport: fakeTransport(() => {
        throw new Error('boom');
      }),
    });
    expect(await client.resolve({ registry: 'r.example', repository: 'a', tag: '1' })).toMatchObject({
      ok: false,
    });
    const secretive = createRegistryClient({
      transport: fakeTransport(() => response(401, { 'www-authenticate': 'Basic realm="x"' })),
      credentials: {
        lookup: async () => {
          throw new Error('helper printed password hunter2');
        },
      },
    });
    const result = await secretive.resolve({ registry: 'r.example', repository: 'a', tag: '1' });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'protocol' } });
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('maps statuses to kinds with the registry host and a hint', async () => {
    const cases: Array<[number, string, string]> = [
      [404, 'not-found', 'check the repository'],
      [401, 'unauthorized', 'docker login r.example'],
      [403, 'unauthorized', 'docker login r.example'],
      [429, 'rate-limited', 'retry later'],
      [502, 'unreachable', 'retry later'],
      [418, 'protocol', 'r.example'],
    ];
    for (const [status, kind, hint] of cases) {
      const transport = fakeTransport((request) =>
        request.url.pathname === '/v2/' ? response(200) : response(status, { 'retry-after': '3600' }),
      );
      const result = await createRegistryClient({ transport }).resolve({
        registry: 'r.example',
        repository: 'a',
        tag: '1',
      });
      expect(result).toMatchObject({ ok: false, failure: { kind, host: 'r.example', status } });
      if (!result.ok) expect(result.failure.hint).toContain(hint);
    }
  });
});
