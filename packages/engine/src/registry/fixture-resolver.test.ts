import { describe, expect, it } from 'vitest';
import { moduleGraph } from '../__fixtures__/module-graph.js';
import { PullguardAggregateError } from '../errors.js';
import type { RegistryReference } from '../registry-contract.js';
import { createFixtureResolver, registryFixtureProblems } from './fixture-resolver.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const C = `sha256:${'c'.repeat(64)}`;
const clock = { now: () => 1_000 };

const hub = (repository: string, ref: { tag?: string; digest?: string }): RegistryReference => ({
  registry: 'docker.io',
  repository,
  ...ref,
});

describe('createFixtureResolver', () => {
  const resolver = createFixtureResolver(
    {
      'nginx:1.25': A,
      'ghcr.io/acme/api:2.3': { digest: B, index: true },
      [`ghcr.io/acme/api@${C}`]: 'exists',
      'ghcr.io/acme/api:typo': 'not-found',
      'private.acme.io/app:1': 401,
      'docker.io/library/redis:7': 'rate-limited',
      'down.acme.io/*': 'unreachable',
      'down.acme.io/team/app:1': A,
      'slow.acme.io/app:1': { error: 'timeout', message: 'no answer in 5 s' },
    },
    { clock },
  );

  it('resolves a tag to its digest, as written in any spelling Kubernetes accepts', async () => {
    expect(await resolver.resolve(hub('library/nginx', { tag: '1.25' }))).toEqual({
      ok: true,
      manifest: {
        digest: A,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        index: false,
        stale: false,
        resolvedAt: 1_000,
      },
    });
  });

  it('answers a multi-platform index with the index media type', async () => {
    const answer = await resolver.resolve({ registry: 'ghcr.io', repository: 'acme/api', tag: '2.3' });
    expect(answer).toMatchObject({
      ok: true,
      manifest: { digest: B, index: true, mediaType: 'application/vnd.oci.image.index.v1+json' },
    });
  });

  it('proves digests that a tag names or that are listed, and nothing else', async () => {
    const api = (digest: string) => resolver.resolve({ registry: 'ghcr.io', repository: 'acme/api', digest });
    expect(await api(B)).toMatchObject({ ok: true, manifest: { digest: B, index: true } });
    expect(await api(C)).toMatchObject({ ok: true, manifest: { digest: C, index: false } });
    expect(await api(A)).toMatchObject({ ok: false, failure: { kind: 'not-found', status: 404 } });
  });

  it('is a closed world: what the fixtures do not name does not exist', async () => {
    expect(await resolver.resolve(hub('library/nginx', { tag: '1.26' }))).toEqual({
      ok: false,
      failure: {
        kind: 'not-found',
        host: 'registry-1.docker.io',
        message: 'registry-1.docker.io has no manifest library/nginx:1.26 (404)',
        hint: expect.stringMatching(/check the tag/),
        status: 404,
      },
    });
  });

  it('fails as written: HTTP statuses, kinds, messages; hints name the host', async () => {
    expect(
      await resolver.resolve({ registry: 'private.acme.io', repository: 'app', tag: '1' }),
    ).toMatchObject({
      ok: false,
      failure: {
        kind: 'unauthorized',
        status: 401,
        hint: 'run docker login private.acme.io, or pass --registry-auth FILE',
      },
    });
    expect(await resolver.resolve(hub('library/redis', { tag: '7' }))).toMatchObject({
      failure: { kind: 'rate-limited', status: 429, host: 'registry-1.docker.io' },
    });
    expect(await resolver.resolve({ registry: 'slow.acme.io', repository: 'app', tag: '1' })).toMatchObject({
      failure: { kind: 'timeout', message: 'no answer in 5 s' },
    });
  });

  it('applies a prefix to everything under it, exact keys first', async () => {
    expect(await resolver.resolve({ registry: 'down.acme.io', repository: 'x/y', tag: '9' })).toMatchObject({
      failure: { kind: 'unreachable', host: 'down.acme.io' },
    });
    expect(
      await resolver.resolve({ registry: 'down.acme.io', repository: 'team/app', tag: '1' }),
    ).toMatchObject({
      ok: true,
    });
    // `down.acme.io/*` is not `down.acme.io.evil.com`.
    expect(
      await resolver.resolve({ registry: 'down.acme.io.evil.com', repository: 'x', tag: '1' }),
    ).toMatchObject({
      failure: { kind: 'not-found' },
    });
  });

  it('answers an aborted lookup as a timeout', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(
      await resolver.resolve(hub('library/nginx', { tag: '1.25' }), { signal: controller.signal }),
    ).toMatchObject({ ok: false, failure: { kind: 'timeout' } });
  });
});

describe('registry fixture problems', () => {
  it('lists every mistake with the key (and field) it is in', () => {
    expect(
      registryFixtureProblems({
        'nginx:1.25': 'sha256:123',
        'Nginx:1': A,
        nginx: A,
        [`nginx:1@${A}`]: A,
        'redis:7': { digest: A, index: 'yes' },
        'busybox:1': { error: 'gone' },
        'alpine:3': 'exists',
        'debian:12': 500,
        'ubuntu:24': { digest: A, arch: 'arm64' },
        [`curl@${A}`]: { digest: B },
        'fine:1': A,
      }).map((p) => `${p.path.join('.')}: ${p.message}`),
    ).toEqual([
      expect.stringMatching(/^nginx:1\.25: "sha256:123" is not a digest \(the digest has 3 hex characters/),
      expect.stringMatching(/^Nginx:1: "Nginx:1" is not an image reference: /),
      'nginx: "nginx" names neither a tag nor a digest (write nginx:TAG, nginx@sha256:…, or nginx/* for a prefix)',
      expect.stringMatching(/^nginx:1@sha256:a+: "nginx:1@sha256:a+" has both a tag and a digest/),
      'redis:7.index: index must be true or false',
      expect.stringMatching(/^busybox:1\.error: "gone" is not a digest/),
      'alpine:3: only a digest can merely exist: write name@sha256:…: exists, or give a tag its digest',
      expect.stringMatching(/^debian:12: HTTP status 500 is not a fixture answer/),
      'ubuntu:24.arch: unknown field "arch" (a manifest has digest, index, mediaType, stale)',
      `curl@${A}.digest: the key pins ${A}, its answer names ${B}`,
    ]);
    expect(registryFixtureProblems(['nginx:1'])).toEqual([
      { path: [], message: 'registry fixtures must be a map of image reference → answer' },
    ]);
  });

  it('makes createFixtureResolver throw with every problem', () => {
    expect(() => createFixtureResolver({ 'nginx:1': 'sha256:1' })).toThrow(PullguardAggregateError);
  });
});

describe('the fixture resolver in a browser', () => {
  it('loads no module outside the engine (no node: built-ins, no package): the playground bundles it', () => {
    const { modules, outside } = moduleGraph(new URL('./fixture-resolver.ts', import.meta.url));
    expect([...outside]).toEqual([]);
    expect(modules.size).toBeGreaterThan(3);
  });
});
