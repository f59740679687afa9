import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RegistryReference } from '@pullguard/engine';
import { createRegistryClient, createResolverFromSettings, type RegistryClient } from '@pullguard/registry';
import {
  type LocalRegistry,
  type PushedManifest,
  startLocalRegistry,
  tempDir,
} from '@pullguard/registry/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, recordingListener, skipReason } from './helpers.js';

const USER = 'deployer';
const PASSWORD = 'T0ken-flow-Passw0rd';
const REFRESH = 'refresh-token-Secret-42';

/**
 * The Bearer token flow Docker Hub, GHCR and Quay use, against a real registry configured with
 * `auth.token` and the token service of the test support (JWTs signed RS256 with an x5c chain).
 */
describe.skipIf(skipReason !== undefined)('a real registry behind a token service', () => {
  let registry: LocalRegistry;
  let image: PushedManifest;
  const dir = tempDir('pullguard-token-');
  const clients: RegistryClient[] = [];
  const listener = recordingListener();
  const texts: string[] = [];
  const settings = (auths: Record<string, unknown>) => {
    const path = join(dir.path, `config-${clients.length}.json`);
    writeFileSync(path, JSON.stringify({ auths }));
    return path;
  };
  const make = (registryAuth: string | undefined, now?: () => number) => {
    const client = createResolverFromSettings(
      { registryAuth, plainHttp: [registry.host, registry.tokenService!.host] },
      { env: { DOCKER_CONFIG: dir.path }, now, listener },
    )!;
    clients.push(client);
    return client;
  };
  const app = (tag = '3.0'): RegistryReference => ({ registry: registry.host, repository: 'team/api', tag });
  const resolve = async (client: RegistryClient, reference = app()) => {
    const result = await client.resolve(reference);
    texts.push(JSON.stringify(result));
    return result;
  };
  const tokenRequests = () =>
    registry.tokenService!.requests.filter((request) => !request.scopes.some((s) => s.endsWith('push')));

  beforeAll(async () => {
    registry = await startLocalRegistry({
      kind: 'token',
      users: { [USER]: PASSWORD },
      refreshTokens: { [REFRESH]: USER },
      anonymousPull: false,
      expiresIn: 300,
    });
    image = await registry.push.pushImage('team/api', '3.0');
    await registry.push.pushImage('team/api', '3.1');
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await registry?.stop();
    dir.remove();
  });

  it('trades Basic credentials for a repository:NAME:pull token, then caches it until it expires', async () => {
    const clock = manualClock();
    const client = make(settings({ [registry.host]: { username: USER, password: PASSWORD } }), clock.now);
    const before = tokenRequests().length;
    expect(await resolve(client)).toMatchObject({ ok: true, manifest: { digest: image.digest } });
    expect(await resolve(client, app('3.1'))).toMatchObject({ ok: true });
    const issued = tokenRequests().slice(before);
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({ method: 'GET', client: 'basic', scopes: ['repository:team/api:pull'] });

    clock.advance(301_000); // past expires_in (and the tag's soft TTL)
    expect(await resolve(client)).toMatchObject({ ok: true });
    expect(tokenRequests().slice(before)).toHaveLength(2);
  });

  it('uses an identitytoken as an OAuth2 refresh token (POST grant_type=refresh_token)', async () => {
    const client = make(settings({ [registry.host]: { identitytoken: REFRESH } }));
    const before = tokenRequests().length;
    expect(await resolve(client)).toMatchObject({ ok: true });
    expect(tokenRequests().slice(before)).toMatchObject([{ method: 'POST', client: 'refresh-token' }]);
  });

  it('asks for an anonymous token without credentials; the registry then refuses the repository', async () => {
    const client = make(undefined);
    const before = tokenRequests().length;
    const result = await resolve(client);
    expect(tokenRequests().slice(before)[0]).toMatchObject({ client: 'anonymous', authorization: undefined });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'unauthorized', host: registry.host } });
    if (!result.ok) expect(result.failure.hint).toContain(`docker login ${registry.host}`);
  });

  it('fails unauthorized when the token service rejects the password, naming the token host', async () => {
    const client = make(settings({ [registry.host]: { username: USER, password: 'Wr0ng-token-Passw0rd' } }));
    const result = await resolve(client);
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: 'unauthorized', host: registry.tokenService!.host, status: 401 },
    });
  });

  it('sends no credential to a token realm over plain HTTP unless that host is listed', async () => {
    const client = createRegistryClient({
      plainHttp: [registry.host],
      credentials: { lookup: async () => ({ kind: 'basic', username: USER, password: PASSWORD }) },
    });
    clients.push(client);
    const before = registry.tokenService!.requests.length;
    const result = await resolve(client);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'tls', host: registry.tokenService!.host } });
    if (!result.ok) expect(result.failure.hint).toContain(`--plain-http ${registry.tokenService!.host}`);
    expect(registry.tokenService!.requests.length).toBe(before);
  });

  it('never puts a password, refresh token or bearer token in a result, message or event', () => {
    const everything = [...texts, JSON.stringify(listener.events)].join('\n');
    const sent = registry.tokenService!.requests.flatMap((request) => [request.authorization, request.token]);
    const secrets = sent.filter((value): value is string => value !== undefined);
    expect(secrets.length).toBeGreaterThan(3);
    for (const secret of [PASSWORD, REFRESH, 'Wr0ng-token-Passw0rd', ...secrets]) {
      expect(everything).not.toContain(secret);
    }
  });
});

/** Docker Hub's everyday case: public images through anonymous tokens. */
describe.skipIf(skipReason !== undefined)(
  'a real registry whose token service grants anonymous pulls',
  () => {
    let registry: LocalRegistry;
    let client: RegistryClient;

    beforeAll(async () => {
      registry = await startLocalRegistry({
        kind: 'token',
        users: { pusher: 'push-Passw0rd' },
        anonymousPull: true,
      });
      client = createRegistryClient({ plainHttp: [registry.host, registry.tokenService!.host] });
    });
    afterAll(async () => {
      client?.close();
      await registry?.stop();
    });

    it('resolves with an anonymous token for repository:NAME:pull, one per repository', async () => {
      const image = await registry.push.pushImage('library/public', 'stable');
      await registry.push.pushImage('library/public', 'edge');
      const before = registry.tokenService!.requests.length;
      const reference = { registry: registry.host, repository: 'library/public', tag: 'stable' };
      expect(await client.resolve(reference)).toMatchObject({ ok: true, manifest: { digest: image.digest } });
      expect(await client.resolve({ ...reference, tag: 'edge' })).toMatchObject({ ok: true });
      expect(registry.tokenService!.requests.slice(before)).toMatchObject([
        {
          method: 'GET',
          client: 'anonymous',
          scopes: ['repository:library/public:pull'],
          authorization: undefined,
        },
      ]);
    });
  },
);
