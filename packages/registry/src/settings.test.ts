import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeTransport, response } from '../test/fake-transport.js';
import { createResolverFromSettings } from './settings.js';
import { tempDir } from './test-support/processes.js';

const dir = tempDir('pullguard-settings-');
afterAll(() => dir.remove());
const context = { env: { DOCKER_CONFIG: dir.path }, homeDir: dir.path };

describe('createResolverFromSettings', () => {
  it('gives no resolver offline', () => {
    expect(createResolverFromSettings({ offline: true }, context)).toBeUndefined();
  });

  it('speaks plain HTTP to the --plain-http hosts only, and reads no PULLGUARD_ variable itself', async () => {
    const transport = fakeTransport(() => response(404));
    // The flag table reads PULLGUARD_PLAIN_HTTP into `plainHttp`; settings are taken as given.
    const client = createResolverFromSettings(
      { plainHttp: ['a.lan:5000', 'b.lan', 'c.lan:81'] },
      { ...context, env: { ...context.env, PULLGUARD_PLAIN_HTTP: 'c.lan:82' }, transport },
    )!;
    for (const registry of ['a.lan:5000', 'b.lan:6000', 'c.lan:81', 'c.lan:82']) {
      await client.resolve({ registry, repository: 'x', tag: '1' });
    }
    expect(transport.requests.filter((r) => r.url.pathname === '/v2/').map((r) => r.url.origin)).toEqual([
      'http://a.lan:5000',
      'http://b.lan:6000',
      'http://c.lan:81',
      'https://c.lan:82',
    ]);
  });

  it('rejects bad settings at once with CONFIG_INVALID naming the setting', () => {
    const notPem = join(dir.path, 'ca.txt');
    writeFileSync(notPem, 'hello');
    expect(() => createResolverFromSettings({ registryCa: notPem }, context)).toThrow(
      'holds no PEM certificate',
    );
    expect(() => createResolverFromSettings({ registryCa: join(dir.path, 'none.pem') }, context)).toThrow(
      '--registry-ca: cannot read',
    );
    expect(() => createResolverFromSettings({ registryTimeout: 0 }, context)).toThrow(
      '--registry-timeout must be a positive',
    );
    expect(() => createResolverFromSettings({ digestTtl: Number.NaN }, context)).toThrow('--digest-ttl');
    expect(() => createResolverFromSettings({ plainHttp: ['https://x'] }, context)).toThrow(
      '--plain-http: "https://x" is not HOST or HOST:PORT',
    );
  });
});
