import { createRegistryClient, createResolverFromSettings, type RegistryClient } from '@pullguard/registry';
import {
  type LocalRegistry,
  makeTestCertificates,
  type PushedManifest,
  type RegistryProxy,
  startLocalRegistry,
  startRegistryProxy,
  type TestCertificates,
  tempDir,
} from '@pullguard/registry/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason } from './helpers.js';

/** HTTPS to a registry whose certificate a private CA signed: trusted only with --registry-ca. */
describe.skipIf(skipReason !== undefined)('a registry behind TLS with a private CA', () => {
  let registry: LocalRegistry;
  let front: RegistryProxy;
  let image: PushedManifest;
  let certificates: TestCertificates;
  const dir = tempDir('pullguard-tls-');
  const clients: RegistryClient[] = [];

  beforeAll(async () => {
    registry = await startLocalRegistry();
    image = await registry.push.pushImage('team/secure', '1');
    certificates = makeTestCertificates(dir.path);
    front = await startRegistryProxy({ target: registry.host, tls: certificates });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await front?.stop();
    await registry?.stop();
    dir.remove();
  });

  it('fails tls with the default CAs, and says to pass --registry-ca', async () => {
    const client = createRegistryClient();
    clients.push(client);
    const result = await client.resolve({ registry: front.host, repository: 'team/secure', tag: '1' });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'tls', host: front.host } });
    if (!result.ok) expect(result.failure.hint).toContain('--registry-ca FILE');
  });

  it('trusts the registry with --registry-ca added to the default CAs', async () => {
    const client = createResolverFromSettings(
      { registryCa: certificates.caFile },
      { env: { DOCKER_CONFIG: dir.path }, homeDir: dir.path },
    )!;
    clients.push(client);
    expect(await client.resolve({ registry: front.host, repository: 'team/secure', tag: '1' })).toMatchObject(
      {
        ok: true,
        manifest: { digest: image.digest },
      },
    );
  });
});
