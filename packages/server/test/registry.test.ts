/**
 * The server (startServer, a real HTTP listener) with a real registry: Debian's docker-registry,
 * started by the registry package's harness on 127.0.0.1 and a free port. The mutating webhook
 * pins a Pod, never a Deployment; a registry that is down or slow is judged by onRegistryError
 * within the review's deadline; /readyz does not care; the registry metrics are exported.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type LocalRegistry,
  type PushedManifest,
  type RegistryProxy,
  realRegistrySkip,
  startLocalRegistry,
  startRegistryProxy,
  tempDir,
} from '@pullguard/registry/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverConfig } from '../src/config.js';
import type { ServerFlagValues } from '../src/flags/server-flags.js';
import { type RunningServer, startServer } from '../src/server.js';
import { applyPatch, decodePatch, review } from './support/fixtures.js';

const skip = realRegistrySkip('pullguard/server');

/** `shop` fails closed on registry errors; `lab` only warns. Both pin Pods at admission. */
const POLICIES = `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: shop }
spec:
  namespaces: [shop]
  rules:
    - rule: image-exists
    - rule: require-digest
      mutate: true
---
apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: lab }
spec:
  namespaces: [lab]
  onRegistryError: warn
  rules:
    - rule: image-exists
    - rule: require-digest
      mutate: true
`;

interface Container {
  name: string;
  image: string;
}

/** An AdmissionReview (CREATE) of `kind` in `namespace` whose pod spec has `containers`. */
function reviewOf(kind: 'Pod' | 'Deployment', namespace: string, containers: Container[]) {
  const body = review('pod-create');
  const spec = { containers: containers.map((c) => ({ ...c, imagePullPolicy: 'IfNotPresent' })) };
  const metadata = { name: 'web', namespace };
  Object.assign(body.request, {
    namespace,
    kind: kind === 'Pod' ? { group: '', version: 'v1', kind } : { group: 'apps', version: 'v1', kind },
    object:
      kind === 'Pod'
        ? { apiVersion: 'v1', kind, metadata, spec }
        : {
            apiVersion: 'apps/v1',
            kind,
            metadata,
            spec: {
              selector: { matchLabels: { app: 'web' } },
              template: { metadata: { labels: { app: 'web' } }, spec },
            },
          },
  });
  return body;
}

interface AdmissionResponse {
  allowed: boolean;
  patch?: string;
  patchType?: string;
  /** Each at most 120 characters (Kubernetes' limit); the full texts are in the `warnings` audit annotation. */
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
  status?: { code: number; message: string };
}

/** Every warning in full: as cut for the client, and as kept in the audit annotation. */
const allWarnings = (response: AdmissionResponse) =>
  `${response.warnings?.join('\n')}\n${response.auditAnnotations?.['warnings'] ?? ''}`;

describe.skipIf(skip)('the server with a real registry', () => {
  const dir = tempDir('pullguard-server-registry-');
  let registry: LocalRegistry;
  let web: PushedManifest;
  let api: PushedManifest;
  const servers: RunningServer[] = [];

  const start = async (flags: Partial<ServerFlagValues>) => {
    const server = await startServer(
      serverConfig(
        { policy: ['policies.yaml'], port: 0, watch: false, logLevel: 'silent', ...flags },
        {},
        dir.path,
      ),
    );
    servers.push(server);
    return server;
  };
  const admit = async (server: RunningServer, webhook: 'mutate' | 'validate', body: unknown) => {
    const response = await fetch(`${server.url}/v1/admission/${webhook}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { response: AdmissionResponse }).response;
  };

  beforeAll(async () => {
    registry = await startLocalRegistry();
    web = await registry.push.pushImage('shop/web', '1.0');
    api = (await registry.push.pushMultiPlatform('shop/api', '2.3')).index;
    writeFileSync(join(dir.path, 'policies.yaml'), POLICIES);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await registry?.stop();
    dir.remove();
  });

  describe('pinning at admission', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await start({ plainHttp: [registry.host] });
    });

    it("pins a Pod's images to the digests their tags name (the index for a multi-platform tag), the tag kept", async () => {
      const body = reviewOf('Pod', 'shop', [
        { name: 'web', image: `${registry.host}/shop/web:1.0` },
        { name: 'api', image: `${registry.host}/shop/api:2.3` },
      ]);
      const response = await admit(server, 'mutate', body);
      expect(response).toMatchObject({ allowed: true, patchType: 'JSONPatch' });
      const operations = decodePatch(response.patch!);
      expect(operations).toEqual([
        {
          op: 'replace',
          path: '/spec/containers/0/image',
          value: `${registry.host}/shop/web:1.0@${web.digest}`,
        },
        {
          op: 'replace',
          path: '/spec/containers/1/image',
          value: `${registry.host}/shop/api:2.3@${api.digest}`,
        },
      ]);
      expect(response.warnings).toEqual([
        expect.stringMatching(
          new RegExp(`^pullguard set image of "web" to ${registry.host}/shop/web:1\\.0@sha256:`),
        ),
        expect.stringMatching(
          new RegExp(`^pullguard set image of "api" to ${registry.host}/shop/api:2\\.3@sha256:`),
        ),
      ]);
      expect(allWarnings(response)).toContain(`${web.digest}: `);
      // The validating webhook, which sees the patched Pod, admits it.
      const pinned = {
        ...body,
        request: { ...body.request, object: applyPatch(body.request.object, operations) },
      };
      expect(await admit(server, 'validate', pinned)).toMatchObject({ allowed: true });
    });

    it('never patches a Deployment: it gets a warning that its Pods are pinned when admitted', async () => {
      const body = reviewOf('Deployment', 'shop', [{ name: 'web', image: `${registry.host}/shop/web:1.0` }]);
      const mutated = await admit(server, 'mutate', body);
      expect(mutated).toMatchObject({ allowed: true });
      expect(mutated.patch).toBeUndefined();
      const validated = await admit(server, 'validate', body);
      expect(validated.allowed).toBe(true);
      expect(validated.warnings?.join('\n')).toContain(`require-digest ${registry.host}/shop/web:1.0: `);
      expect(allWarnings(validated)).toMatch(/Deployment\/web is never patched: its Pods are pinned/);
    });

    it('exports what it asked the registry, and how the digest cache answered', async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      expect(text).toContain(
        `pullguard_registry_requests_total{registry="${registry.host}",method="HEAD",code="200"} 2`,
      );
      expect(text).toMatch(
        new RegExp(
          `pullguard_registry_request_duration_seconds_count\\{registry="${registry.host.replace(/\./g, '\\.')}",method="HEAD"\\} 2`,
        ),
      );
      expect(text).toMatch(/^pullguard_digest_cache_misses_total [1-9]/m);
      expect(text).toMatch(/^pullguard_digest_cache_hits_total [1-9]/m);
      expect(text).toMatch(/^pullguard_digest_cache_stale_total 0$/m);
      expect(text).toContain('# TYPE pullguard_registry_ratelimit_remaining gauge');
    });
  });

  describe('when the registry cannot be asked', () => {
    let proxy: RegistryProxy;
    let server: RunningServer;
    beforeAll(async () => {
      proxy = await startRegistryProxy({ target: registry.host });
      server = await start({ plainHttp: [proxy.host], requestTimeout: 3_000 });
    });
    afterAll(() => proxy?.stop());

    it('judges a registry slower than its budget by onRegistryError, well within the review deadline', async () => {
      proxy.setDelay(5_000);
      try {
        // Both reviews at once; the proxy would answer after 5 s, the review deadline is 3 s: a
        // `timeout` registry error (not the failure mode's EVALUATION_TIMEOUT) shows that the
        // lookup budget (1.5 s, half the deadline) ended the lookups and the policies judged it.
        const review = (namespace: string) =>
          admit(
            server,
            'validate',
            reviewOf('Pod', namespace, [{ name: 'web', image: `${proxy.host}/shop/web:1.0` }]),
          );
        const [denied, warned] = await Promise.all([review('shop'), review('lab')]);
        expect(denied.allowed).toBe(false);
        expect(denied.status?.message).toContain(`REGISTRY_ERROR`);
        expect(denied.status?.message).toContain(`${proxy.host}: timeout`);
        expect(warned.allowed).toBe(true);
        expect(warned.warnings?.join('\n')).toContain('REGISTRY_ERROR');
        expect(allWarnings(warned)).toContain(`${proxy.host}: timeout`);
      } finally {
        proxy.setDelay(0);
      }
    });

    it('with the registry stopped: deny or warn as the policy says, name the host, pin nothing; /readyz stays ready', async () => {
      await proxy.stop();
      const image = `${proxy.host}/shop/web:1.0`;
      const mutated = await admit(server, 'mutate', reviewOf('Pod', 'shop', [{ name: 'web', image }]));
      expect(mutated).toMatchObject({ allowed: true });
      expect(mutated.patch).toBeUndefined();
      const denied = await admit(server, 'validate', reviewOf('Pod', 'shop', [{ name: 'web', image }]));
      expect(denied.allowed).toBe(false);
      expect(denied.status?.message).toContain(`${proxy.host}: unreachable`);
      const warned = await admit(server, 'validate', reviewOf('Pod', 'lab', [{ name: 'web', image }]));
      expect(warned.allowed).toBe(true);
      expect(allWarnings(warned)).toContain(`${proxy.host}: unreachable`);
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toContain(
        `pullguard_registry_requests_total{registry="${proxy.host}",method="GET",code="refused"}`,
      );
    });
  });
});
