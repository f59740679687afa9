import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServerConfig } from './config.js';
import { duration, size } from './flags/units.js';

describe('loadServerConfig', () => {
  it('defaults to 127.0.0.1:8080, fail closed, 3 MiB bodies, 10 s deadline, 10,000 cache entries, watching', () => {
    const config = loadServerConfig(['--policy', 'policies/'], {}, '/work');
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      policyPaths: ['policies/'],
      plugins: [],
      failureMode: 'closed',
      bodyLimitBytes: 3 * 1024 * 1024,
      requestTimeoutMs: 10_000,
      cacheSize: 10_000,
      cacheTtlMs: undefined,
      watch: true,
      adminToken: undefined,
      tls: undefined,
      namespaces: { file: undefined, kubernetes: undefined, learnFromReviews: false, unknown: 'deny' },
      watchIntervalMs: 10_000,
      cwd: '/work',
      ruleTimeoutMs: undefined,
      manifests: {},
    });
  });

  it('reads the kinds it checks and the rule deadline as `pullguard check` does', () => {
    const config = loadServerConfig(['--policy', 'p', '--well-known-kinds', '--rule-timeout', '250ms'], {});
    expect(config.ruleTimeoutMs).toBe(250);
    expect(config.manifests.podSpecPaths?.['serving.knative.dev/Service']).toEqual([
      'spec',
      'template',
      'spec',
    ]);
    expect(
      loadServerConfig([], {
        PULLGUARD_POLICIES: 'p',
        PULLGUARD_WELL_KNOWN_KINDS: 'true',
        PULLGUARD_RULE_TIMEOUT: '2s',
      }),
    ).toMatchObject({ ruleTimeoutMs: 2000, manifests: { podSpecPaths: expect.any(Object) } });
  });

  it('asks registries with a 2 s lookup budget, at most half the request deadline', () => {
    expect(loadServerConfig(['--policy', 'p'], {}).registry).toEqual({
      registryAuth: undefined,
      registryCa: undefined,
      plainHttp: [],
      registryTimeout: 2_000,
      digestTtl: undefined,
      offline: false,
    });
    expect(loadServerConfig(['--policy', 'p', '--request-timeout', '3s'], {}).registry.registryTimeout).toBe(
      1_500,
    );
    const env = {
      PULLGUARD_POLICIES: 'p',
      PULLGUARD_REGISTRY_AUTH: '/secrets/regcred/.dockerconfigjson',
      PULLGUARD_REGISTRY_CA: 'ca.pem',
      PULLGUARD_PLAIN_HTTP: 'registry.lan:5000, mirror.lan',
      PULLGUARD_REGISTRY_TIMEOUT: '750ms',
      PULLGUARD_DIGEST_TTL: '1m',
      PULLGUARD_OFFLINE: 'false',
    };
    expect(loadServerConfig([], env).registry).toEqual({
      registryAuth: '/secrets/regcred/.dockerconfigjson',
      registryCa: 'ca.pem',
      plainHttp: ['registry.lan:5000', 'mirror.lan'],
      registryTimeout: 750,
      digestTtl: 60_000,
      offline: false,
    });
    expect(loadServerConfig(['--offline', '--plain-http', 'a.lan'], env).registry).toMatchObject({
      plainHttp: ['a.lan'],
      offline: true,
    });
  });

  it('refuses a registry budget that the request deadline would cut short, and a plain-HTTP entry that is not HOST[:PORT]', () => {
    expect(() =>
      loadServerConfig(['--policy', 'p', '--request-timeout', '2s', '--registry-timeout', '2s'], {}),
    ).toThrow(/--registry-timeout: must be shorter than --request-timeout \(2000 ms\)/);
    expect(() => loadServerConfig(['--policy', 'p', '--plain-http', 'http://registry.lan'], {})).toThrow(
      '--plain-http: "http://registry.lan" is not HOST or HOST:PORT',
    );
    expect(() => loadServerConfig(['--policy', 'p'], { PULLGUARD_PLAIN_HTTP: 'registry.lan/v2' })).toThrow(
      '--plain-http: PULLGUARD_PLAIN_HTTP: "registry.lan/v2" is not HOST or HOST:PORT',
    );
  });

  it('reads the environment when flags are absent, and flags win over it', () => {
    const env = {
      HOST: '0.0.0.0',
      PORT: '9443',
      PULLGUARD_POLICIES: 'a.yaml, b/',
      PULLGUARD_PLUGINS: '@acme/rules',
      PULLGUARD_TLS_CERT: 'tls.crt',
      PULLGUARD_TLS_KEY: 'tls.key',
      PULLGUARD_ADMIN_TOKEN: 'tok',
      PULLGUARD_FAILURE_MODE: 'open',
      PULLGUARD_CACHE_SIZE: '0',
      PULLGUARD_CACHE_TTL: '5m',
      PULLGUARD_BODY_LIMIT: '1MiB',
      PULLGUARD_REQUEST_TIMEOUT: '2s',
      PULLGUARD_WATCH: 'false',
    };
    expect(loadServerConfig([], env)).toMatchObject({
      host: '0.0.0.0',
      port: 9443,
      policyPaths: ['a.yaml', 'b/'],
      plugins: ['@acme/rules'],
      tls: { certFile: 'tls.crt', keyFile: 'tls.key', clientCaFile: undefined },
      adminToken: 'tok',
      failureMode: 'open',
      cacheSize: 0,
      cacheTtlMs: 300_000,
      bodyLimitBytes: 1024 * 1024,
      requestTimeoutMs: 2000,
      watch: false,
    });
    expect(loadServerConfig(['--port', '0', '--policy', 'x'], env)).toMatchObject({
      port: 0,
      policyPaths: ['x'],
    });
  });

  it('reads the admin token from a file (trimmed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-config-'));
    writeFileSync(join(dir, 'token'), 'from-file\n');
    expect(
      loadServerConfig(
        ['--policy', 'p', '--admin-token-file', 'token'],
        { PULLGUARD_ADMIN_TOKEN: 'env' },
        dir,
      ).adminToken,
    ).toBe('from-file');
  });

  it.each([
    [['--policy', 'p', '--port', '70000'], '--port'],
    [['--policy', 'p', '--port', 'http'], '--port'],
    [[], '--policy'],
    [['--policy', 'p', '--tls-cert', 'c'], '--tls-key'],
    [['--policy', 'p', '--failure-mode', 'ajar'], '--failure-mode'],
    [['--policy', 'p', '--body-limit', 'lots'], '--body-limit'],
    [['--policy', 'p', '--request-timeout', '0s'], '--request-timeout'],
    [['--policy', 'p', '--rule-timeout', 'soon'], '--rule-timeout'],
    [['--policy', 'p', '--admin-token-file', '/nonexistent/token'], '--admin-token-file'],
    [['--policy', 'p', '--log-level', 'loud'], '--log-level'],
  ])('rejects %j with CONFIG_INVALID naming %s', (argv, flag) => {
    expect(() => loadServerConfig(argv, {})).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', field: flag }),
    );
  });

  it('rejects a PULLGUARD_WELL_KNOWN_KINDS it cannot read instead of leaving the kinds off', () => {
    expect(() => loadServerConfig(['--policy', 'p'], { PULLGUARD_WELL_KNOWN_KINDS: 'yes' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', field: '--well-known-kinds' }),
    );
    expect(loadServerConfig(['--policy', 'p'], { PULLGUARD_WELL_KNOWN_KINDS: 'false' }).manifests).toEqual(
      {},
    );
  });

  it('rejects unknown flags', () => {
    expect(() => loadServerConfig(['--policy', 'p', '--colour'], {})).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});

describe('units', () => {
  it('parses durations and sizes', () => {
    expect([duration('250ms'), duration('10s'), duration('1.5m'), duration('1h'), duration('42')]).toEqual([
      250, 10_000, 90_000, 3_600_000, 42,
    ]);
    expect([size('3MiB'), size('512kb'), size('100')]).toEqual([3 * 1024 * 1024, 512_000, 100]);
  });
});
