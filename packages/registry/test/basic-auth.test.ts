import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createResolverFromSettings, type RegistryClient } from '@pullguard/registry';
import {
  type LocalRegistry,
  type PushedManifest,
  startLocalRegistry,
  tempDir,
} from '@pullguard/registry/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingListener, skipReason } from './helpers.js';

const USER = 'ci-bot';
const PASSWORD = 'S3cret-basic-Passw0rd';

/**
 * htpasswd Basic auth (bcrypt) on a real registry, with credentials from every place Docker and
 * Kubernetes keep them. No failure, message or listener event ever holds the password.
 */
describe.skipIf(skipReason !== undefined)('a real registry with Basic auth', () => {
  let registry: LocalRegistry;
  let image: PushedManifest;
  const dir = tempDir('pullguard-auth-');
  const clients: RegistryClient[] = [];
  const listener = recordingListener();
  const texts: string[] = [];

  const resolverWith = (
    settings: Parameters<typeof createResolverFromSettings>[0],
    env: Record<string, string> = {},
  ) => {
    const client = createResolverFromSettings(
      { plainHttp: [registry.host], ...settings },
      { env: { DOCKER_CONFIG: join(dir.path, 'no-docker-config'), ...env }, homeDir: dir.path, listener },
    );
    if (client === undefined) throw new Error('expected a resolver');
    clients.push(client);
    return client;
  };
  const resolveApp = async (client: RegistryClient) => {
    const result = await client.resolve({ registry: registry.host, repository: 'team/private', tag: '2.0' });
    texts.push(JSON.stringify(result));
    return result;
  };
  const file = (name: string, content: string) => {
    const path = join(dir.path, name);
    writeFileSync(path, content);
    return path;
  };
  const auth = (password: string) => Buffer.from(`${USER}:${password}`).toString('base64');

  beforeAll(async () => {
    registry = await startLocalRegistry({ kind: 'htpasswd', users: { [USER]: PASSWORD } });
    image = await registry.push.pushImage('team/private', '2.0');
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await registry?.stop();
    dir.remove();
  });

  it('uses a --registry-auth config.json (auth as base64 user:password)', async () => {
    const path = file(
      'config.json',
      JSON.stringify({ auths: { [registry.host]: { auth: auth(PASSWORD) } } }),
    );
    expect(await resolveApp(resolverWith({ registryAuth: path }))).toMatchObject({
      ok: true,
      manifest: { digest: image.digest },
    });
  });

  it('reads $DOCKER_CONFIG/config.json (username/password, keyed by URL) and ~/.docker/config.json', async () => {
    const dockerDir = join(dir.path, 'docker-config');
    mkdirSync(dockerDir, { recursive: true });
    writeFileSync(
      join(dockerDir, 'config.json'),
      JSON.stringify({ auths: { [`https://${registry.host}/v2/`]: { username: USER, password: PASSWORD } } }),
    );
    expect(await resolveApp(resolverWith({}, { DOCKER_CONFIG: dockerDir }))).toMatchObject({ ok: true });

    const home = tempDir('pullguard-home-');
    try {
      mkdirSync(join(home.path, '.docker'));
      writeFileSync(
        join(home.path, '.docker', 'config.json'),
        JSON.stringify({ auths: { [registry.host]: { auth: auth(PASSWORD) } } }),
      );
      const client = createResolverFromSettings(
        { plainHttp: [registry.host] },
        { env: {}, homeDir: home.path },
      );
      clients.push(client!);
      expect(await resolveApp(client!)).toMatchObject({ ok: true });
    } finally {
      home.remove();
    }
  });

  it('uses a Kubernetes pull Secret as YAML, as JSON, and in the legacy .dockercfg form', async () => {
    const dockerconfigjson = Buffer.from(
      JSON.stringify({ auths: { [registry.host]: { auth: auth(PASSWORD) } } }),
    ).toString('base64');
    const yaml = file(
      'secret.yaml',
      `apiVersion: v1\nkind: Secret\nmetadata: {name: pull, namespace: apps}\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${dockerconfigjson}\n`,
    );
    expect(await resolveApp(resolverWith({ registryAuth: yaml }))).toMatchObject({ ok: true });

    const json = file(
      'secret.json',
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'pull' },
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': dockerconfigjson },
      }),
    );
    expect(await resolveApp(resolverWith({ registryAuth: json }))).toMatchObject({ ok: true });

    const dockercfg = Buffer.from(
      JSON.stringify({ [registry.host]: { username: USER, password: PASSWORD } }),
    ).toString('base64');
    const legacy = file(
      'legacy.yaml',
      `apiVersion: v1\nkind: Secret\nmetadata: {name: old}\ntype: kubernetes.io/dockercfg\ndata:\n  .dockercfg: ${dockercfg}\n`,
    );
    expect(await resolveApp(resolverWith({ registryAuth: legacy }))).toMatchObject({ ok: true });
  });

  it('runs the credential helper named by credHelpers, with the server URL on stdin', async () => {
    const bin = join(dir.path, 'bin');
    mkdirSync(bin, { recursive: true });
    const seen = join(dir.path, 'helper-stdin');
    const helper = join(bin, 'docker-credential-pullguard-test');
    writeFileSync(
      helper,
      `#!/bin/sh\ncat > ${seen}\nprintf '{"ServerURL":"%s","Username":"${USER}","Secret":"${PASSWORD}"}' "${registry.host}"\n`,
    );
    chmodSync(helper, 0o755);
    const config = file(
      'helpers.json',
      JSON.stringify({ credHelpers: { [registry.host]: 'pullguard-test' } }),
    );
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      expect(await resolveApp(resolverWith({ registryAuth: config }))).toMatchObject({ ok: true });
      expect(readFileSync(seen, 'utf8')).toBe(registry.host);
    } finally {
      process.env.PATH = path;
    }
  });

  it('fails unauthorized on a wrong password, naming the host and how to log in', async () => {
    const wrong = 'Wr0ng-basic-Passw0rd';
    const path = file('wrong.json', JSON.stringify({ auths: { [registry.host]: { auth: auth(wrong) } } }));
    const result = await resolveApp(resolverWith({ registryAuth: path }));
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: 'unauthorized', host: registry.host, status: 401 },
    });
    if (!result.ok) {
      expect(result.failure.message).toContain('refused the credentials');
      expect(result.failure.hint).toContain(`docker login ${registry.host}`);
    }
    expect(JSON.stringify(result)).not.toContain(wrong);
  });

  it('fails unauthorized without credentials', async () => {
    expect(await resolveApp(resolverWith({}))).toMatchObject({
      ok: false,
      failure: { kind: 'unauthorized', host: registry.host },
    });
  });

  it('never puts the password (plain or base64) in a result, message or event', () => {
    const everything = [...texts, JSON.stringify(listener.events)].join('\n');
    expect(listener.events.length).toBeGreaterThan(0);
    for (const secret of [PASSWORD, auth(PASSWORD), 'Wr0ng-basic-Passw0rd'])
      expect(everything).not.toContain(secret);
  });
});
