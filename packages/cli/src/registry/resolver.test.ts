import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RegistrySettings, registrySettings } from './flags.js';
import { createCliResolver } from './resolver.js';

const settings = (flags: Parameters<typeof registrySettings>[0]) =>
  registrySettings(flags, {}) as RegistrySettings;
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

  it('fails every lookup, saying why, while this build has no registry client — never passes', async () => {
    const resolver = await createCliResolver(settings({}));
    expect(await resolver?.resolve(nginx)).toEqual({
      ok: false,
      failure: {
        kind: 'unreachable',
        host: 'registry-1.docker.io',
        message: 'this pullguard build has no registry client (@pullguard/registry)',
        hint: 'pass --offline (registry rules are then not checked) or --registry-fixtures FILE',
      },
    });
  });
});
