import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RegistryFlags, registrySettings } from './flags.js';
import { createCliResolver, readRegistrySettings } from './resolver.js';

const settings = (flags: RegistryFlags) => registrySettings(flags, {});
const nginx = { registry: 'docker.io', repository: 'library/nginx', tag: '1.25' };
const D = `sha256:${'5'.repeat(64)}`;

describe('the CLI resolver', () => {
  it('is none with --offline', async () => {
    expect(await createCliResolver(settings({ offline: true }))).toBeUndefined();
  });

  it('answers from a fixtures file with --registry-fixtures, whose mistakes say where they are', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullguard-fixtures-'));
    const file = join(dir, 'fixtures.yaml');
    await writeFile(file, `nginx:1.25: ${D}\n`);
    const resolver = await createCliResolver(settings({ registryFixtures: file }));
    expect(await resolver?.resolve(nginx)).toMatchObject({ ok: true, manifest: { digest: D } });
    await writeFile(file, '# fixtures\nnginx:1.25: latest\n');
    await expect(createCliResolver(settings({ registryFixtures: file }))).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      location: { file, line: 2, column: 13 },
      message: expect.stringMatching(/^"latest" is not a digest/),
    });
    await expect(
      createCliResolver(settings({ registryFixtures: join(dir, 'missing.yaml') })),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/^cannot read the registry fixtures: ENOENT/),
    });
  });

  it('otherwise asks registries with the OCI client, configured from the flags', async () => {
    // Nothing listens on port 9 (discard) of the loopback address: refused at once, over plain HTTP.
    const resolver = await createCliResolver(
      settings({ plainHttp: ['127.0.0.1:9'], registryTimeout: 2_000 }),
    );
    expect(
      await resolver?.resolve({ registry: '127.0.0.1:9', repository: 'shop/web', tag: '1.0' }),
    ).toMatchObject({ ok: false, failure: { kind: 'unreachable', host: '127.0.0.1:9' } });
  });

  it('fails at once, naming the flag, on a file it cannot read', async () => {
    await expect(createCliResolver(settings({ registryCa: '/nonexistent/ca.pem' }))).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/^--registry-ca: cannot read \/nonexistent\/ca\.pem/),
    });
  });

  it("reads Docker's own config at the first lookup; a malformed one fails each lookup, naming it", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pullguard-docker-config-'));
    await writeFile(join(dir, 'config.json'), '{ "auths": ');
    const saved = process.env['DOCKER_CONFIG'];
    process.env['DOCKER_CONFIG'] = dir;
    try {
      const resolver = await createCliResolver(settings({}));
      expect(await resolver?.resolve(nginx)).toMatchObject({
        ok: false,
        failure: {
          kind: 'unauthorized',
          host: 'registry-1.docker.io',
          message: expect.stringContaining(join(dir, 'config.json')),
        },
      });
    } finally {
      if (saved === undefined) delete process.env['DOCKER_CONFIG'];
      else process.env['DOCKER_CONFIG'] = saved;
    }
  });

  it('reports a variable holding a bad value as CONFIG_INVALID naming the flag', () => {
    expect(() => readRegistrySettings({}, { PULLGUARD_PLAIN_HTTP: 'not a host' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', field: '--plain-http' }),
    );
  });
});
