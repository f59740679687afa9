/**
 * The built binary against a real registry (Debian's docker-registry, started by the registry
 * package's test harness on 127.0.0.1 and a free port, spoken to over plain HTTP): pinning in
 * Git, drift, image-exists, a registry that is down, and one lookup per tag across check's
 * worker threads.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  freePort,
  type LocalRegistry,
  type PushedManifest,
  type RegistryProxy,
  realRegistrySkip,
  startLocalRegistry,
  startRegistryProxy,
  tempDir,
} from '@pullguard/registry/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

const skip = realRegistrySkip('pullguard/cli');

const POLICY = `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: shop }
spec:
  namespaces: ["*"]
  rules:
    - rule: image-exists
    - rule: digest-matches-tag
`;

/** A Pod in namespace shop whose containers (name → image) are pulled Always. */
const podYaml = (name: string, containers: Record<string, string>) =>
  [
    'apiVersion: v1',
    'kind: Pod',
    `metadata: { name: ${name}, namespace: shop }`,
    'spec:',
    '  containers:',
    ...Object.entries(containers).map(
      ([c, image]) => `    - { name: ${c}, image: ${image}, imagePullPolicy: Always }`,
    ),
    '',
  ].join('\n');

describe.skipIf(skip)('the CLI with a real registry', () => {
  const dir = tempDir('pullguard-cli-registry-');
  let registry: LocalRegistry;
  let host: string;
  let web: PushedManifest;
  let api: PushedManifest;
  let apiPlatforms: PushedManifest[];
  const file = (name: string) => join(dir.path, name);
  const plainHttp = () => ['--plain-http', host];

  beforeAll(async () => {
    registry = await startLocalRegistry();
    host = registry.host;
    web = await registry.push.pushImage('shop/web', '1.0');
    ({ index: api, manifests: apiPlatforms } = await registry.push.pushMultiPlatform('shop/api', '2.3'));
    await writeFile(file('policy.yaml'), POLICY);
  }, 60_000);

  afterAll(async () => {
    await registry?.stop();
    dir.remove();
  });

  it('fix --pin-digests --write pins each tag to the digest it names, the index for a multi-platform tag', async () => {
    const manifest = `# The shop's web tier.
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  template:
    spec:
      containers:
        - name: web
          image: ${host}/shop/web:1.0   # the stable line
          imagePullPolicy: IfNotPresent
        - name: api
          image: '${host}/shop/api:2.3'
          imagePullPolicy: IfNotPresent
        - name: pinned
          image: ${host}/shop/web:1.0@${web.digest}
          imagePullPolicy: IfNotPresent
`;
    await writeFile(file('web.yaml'), manifest);
    const run = await runCli(['fix', '--pin-digests', '--write', ...plainHttp(), file('web.yaml')]);
    expect(run).toMatchObject({ code: 0, stdout: '', stderr: 'pin 2 images and set 0 fields in 1 file\n' });
    expect(await readFile(file('web.yaml'), 'utf8')).toBe(
      manifest
        .replace(`shop/web:1.0   #`, `shop/web:1.0@${web.digest}   #`)
        .replace(`shop/api:2.3'`, `shop/api:2.3@${api.digest}'`),
    );
    // The index, never one platform's manifest (what a client gets without the index media types).
    expect(apiPlatforms.map((m) => m.digest)).not.toContain(api.digest);
  });

  it('leaves a file it cannot pin untouched and exits 2, naming the image and the host', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const manifest = `apiVersion: v1
kind: Pod
metadata: { name: tools }
spec:
  containers:
    - { name: ok, image: ${host}/shop/web:1.0 }
    - { name: tools, image: ${dead}/shop/tools:3 }
    - { name: typo, image: ${host}/shop/web:1.O }
`;
    await writeFile(file('tools.yaml'), manifest);
    const run = await runCli([
      'fix',
      '--pin-digests',
      '--write',
      ...plainHttp(),
      '--plain-http',
      dead,
      file('tools.yaml'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `tools.yaml:7:29: REGISTRY_ERROR cannot pin ${dead}/shop/tools:3: ${dead}: unreachable: cannot reach ${dead}`,
    );
    expect(run.stderr).toContain(
      `tools.yaml:8:28: REGISTRY_ERROR cannot pin ${host}/shop/web:1.O: ${host}: not-found: ${host}/shop/web:1.O does not exist`,
    );
    expect(run.stderr).toMatch(/the file is left unchanged\npin 0 images and set 0 fields in 0 files\n$/);
    expect(await readFile(file('tools.yaml'), 'utf8')).toBe(manifest);
  });

  it('check with image-exists catches a typo in a tag, and passes the tag that exists', async () => {
    await writeFile(
      file('typo.yaml'),
      podYaml('web', { web: `${host}/shop/web:1.O`, api: `${host}/shop/api:2.3` }),
    );
    const run = await runCli([
      'check',
      '--policy',
      file('policy.yaml'),
      ...plainHttp(),
      '--format',
      'json',
      file('typo.yaml'),
    ]);
    expect(run.code).toBe(1);
    const findings = JSON.parse(run.stdout).findings as {
      rule: string;
      image: { raw: string };
      message: string;
    }[];
    expect(findings.map((f) => `${f.rule} ${f.image.raw}`)).toEqual([`image-exists ${host}/shop/web:1.O`]);
    expect(findings[0]?.message).toMatch(/1\.O/);
  });

  it('drift reports a container whose tag moved, with both digests (exit 1)', async () => {
    const before = await registry.push.pushImage('shop/drift', '1');
    const pods = {
      apiVersion: 'v1',
      kind: 'List',
      items: ['a', 'b'].map((suffix) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `drift-${suffix}`, namespace: 'shop' },
        spec: {
          containers: [{ name: 'app', image: `${host}/shop/drift:1`, imagePullPolicy: 'IfNotPresent' }],
        },
        status: {
          containerStatuses: [
            { name: 'app', image: `${host}/shop/drift:1`, imageID: `${host}/shop/drift@${before.digest}` },
          ],
        },
      })),
    };
    await writeFile(file('pods.json'), JSON.stringify(pods));
    const unmoved = await runCli(['drift', ...plainHttp(), file('pods.json')]);
    expect(unmoved.code).toBe(0);
    expect(unmoved.stdout).toContain('✔ no drift: 2 containers (2 current, 0 drifted, 0 pinned, 0 unknown)');

    const after = await registry.push.pushImage('shop/drift', '1');
    const moved = await runCli(['drift', ...plainHttp(), '--format', 'json', file('pods.json')]);
    expect(moved.stderr).toBe('');
    expect(moved.code).toBe(1);
    const report = JSON.parse(moved.stdout) as {
      containers: { pod: string; state: string; runningDigest: string; tagDigest: string }[];
    };
    expect(report.containers).toEqual([
      expect.objectContaining({
        pod: 'drift-a',
        state: 'drifted',
        runningDigest: before.digest,
        tagDigest: after.digest,
      }),
      expect.objectContaining({
        pod: 'drift-b',
        state: 'drifted',
        runningDigest: before.digest,
        tagDigest: after.digest,
      }),
    ]);
  });

  describe('through a proxy that counts what the registry serves', () => {
    let proxy: RegistryProxy;
    beforeAll(async () => {
      proxy = await startRegistryProxy({ target: host });
    });
    afterAll(() => proxy?.stop());

    it("check's worker threads share the main thread's lookups: one request per tag for the run", async () => {
      const files = Array.from({ length: 6 }, (_, i) => file(`parallel-${i}.yaml`));
      for (const [i, path] of files.entries()) {
        await writeFile(
          path,
          podYaml(`p${i}`, {
            web: `${proxy.host}/shop/web:1.0`,
            api: `${proxy.host}/shop/api:2.3@${api.digest}`,
          }),
        );
      }
      const run = await runCli(
        ['check', '--policy', file('policy.yaml'), '--plain-http', proxy.host, '--quiet', ...files],
        { env: { PULLGUARD_WORKERS: '3' } },
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      // shop/web:1.0, shop/api:2.3 (the tag of a pinned image) and nothing else: the digest
      // the api tag names is known from its tag's answer.
      expect(
        proxy
          .manifestRequests()
          .map((r) => `${r.method} ${r.path}`)
          .sort(),
      ).toEqual(['HEAD /v2/shop/api/manifests/2.3', 'HEAD /v2/shop/web/manifests/1.0']);
    });
  });

  it('with the registry down, registry rules follow onRegistryError and name the host', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    await writeFile(file('warn-policy.yaml'), POLICY.replace('spec:\n', 'spec:\n  onRegistryError: warn\n'));
    await writeFile(file('down.yaml'), podYaml('web', { web: `${dead}/shop/web:1.0` }));
    const check = (policy: string) =>
      runCli([
        'check',
        '--policy',
        file(policy),
        '--plain-http',
        dead,
        '--format',
        'json',
        file('down.yaml'),
      ]);
    const denied = await check('policy.yaml');
    expect(denied.code).toBe(1);
    const finding = JSON.parse(denied.stdout).findings[0];
    expect(finding).toMatchObject({ rule: 'image-exists', action: 'deny', status: 'error' });
    expect(finding.message).toMatch(
      new RegExp(
        `^REGISTRY_ERROR: could not check whether ${dead}/shop/web:1\\.0 exists: ${dead}: unreachable`,
      ),
    );
    const warned = await check('warn-policy.yaml');
    expect(warned.code).toBe(0);
    expect(JSON.parse(warned.stdout).findings[0]).toMatchObject({ rule: 'image-exists', action: 'warn' });
  });
});
