import { describe, expect, it } from 'vitest';
import { registrySettings } from './flags.js';

describe('registry flags', () => {
  it('leave the defaults to the client (5 s lookups, a 5 min digest TTL) and ask registries', () => {
    expect(registrySettings({}, {})).toEqual({
      offline: false,
      registryFixtures: undefined,
      registryAuth: undefined,
      registryCa: undefined,
      plainHttp: [],
      registryTimeout: undefined,
      digestTtl: undefined,
    });
  });

  it('read every setting from its variable when the flag is not given; flags win', () => {
    const env = {
      PULLGUARD_REGISTRY_AUTH: 'regcred.yaml',
      PULLGUARD_REGISTRY_CA: 'ca.pem',
      PULLGUARD_PLAIN_HTTP: ' 127.0.0.1:5000 , registry.local,,[::1]:5001',
      PULLGUARD_REGISTRY_TIMEOUT: '1.5s',
      PULLGUARD_DIGEST_TTL: '10m',
      PULLGUARD_OFFLINE: 'false',
    };
    expect(registrySettings({}, env)).toEqual({
      offline: false,
      registryFixtures: undefined,
      registryAuth: 'regcred.yaml',
      registryCa: 'ca.pem',
      plainHttp: ['127.0.0.1:5000', 'registry.local', '[::1]:5001'],
      registryTimeout: 1_500,
      digestTtl: 600_000,
    });
    expect(
      registrySettings({ plainHttp: ['registry.lan:5000'], registryTimeout: 250, offline: true }, env),
    ).toMatchObject({ plainHttp: ['registry.lan:5000'], registryTimeout: 250, offline: true });
  });

  it.each([
    [
      { PULLGUARD_PLAIN_HTTP: 'ok.local:5000,http://registry.local' },
      '--plain-http: PULLGUARD_PLAIN_HTTP: "http://registry.local" is not HOST or HOST:PORT',
    ],
    [{ PULLGUARD_PLAIN_HTTP: 'registry.local:0' }, '"registry.local:0" is not HOST or HOST:PORT'],
    [
      { PULLGUARD_REGISTRY_TIMEOUT: '5 seconds' },
      '--registry-timeout: PULLGUARD_REGISTRY_TIMEOUT: expected a duration',
    ],
    [{ PULLGUARD_DIGEST_TTL: '0s' }, '--digest-ttl: PULLGUARD_DIGEST_TTL: must be more than 0'],
    [{ PULLGUARD_OFFLINE: 'yes' }, '--offline: PULLGUARD_OFFLINE must be true or false, got "yes"'],
  ])('say which flag and variable hold a bad value: %o', (env, message) => {
    expect(() => registrySettings({}, env)).toThrow(message);
  });
});
