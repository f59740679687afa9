import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadServerConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import {
  type KubernetesNamespaces,
  watchKubernetesNamespaces,
} from '../src/namespaces/kubernetes-namespaces.js';
import { NamespaceLabelStore } from '../src/namespaces/label-store.js';
import { type RunningServer, startServer } from '../src/server.js';
import { eventually } from './support/eventually.js';
import { FakeKubeApiServer } from './support/fake-kube-apiserver.js';
import { review } from './support/fixtures.js';

// Real servers and processes on a shared machine: a generous bound (no test waits for it).
vi.setConfig({ testTimeout: 60_000 });

// Namespace labels from the Kubernetes API, through @kubernetes/client-node, against a stand-in
// API server (test/support/fake-kube-apiserver.ts): a real HTTP server speaking list and watch for
// /api/v1/namespaces. There is no kube-apiserver on the machines these tests run on.

let dir: string;
let api: FakeKubeApiServer;
let source: KubernetesNamespaces | undefined;
let server: RunningServer | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pg-kube-'));
  api = new FakeKubeApiServer();
  await api.start();
  api.writeKubeconfig(join(dir, 'kubeconfig'));
});

afterEach(async () => {
  source?.close();
  source = undefined;
  await server?.close();
  server = undefined;
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

async function watch(store = new NamespaceLabelStore()) {
  source = await watchKubernetesNamespaces({
    kubeconfig: join(dir, 'kubeconfig'),
    store,
    logger: silentLogger(),
    backoff: { initialMs: 10, maxMs: 50 },
  });
  return { store, source };
}

describe('namespace labels from the Kubernetes API', () => {
  it('lists every namespace (page by page) with the bearer token, then is synced', async () => {
    for (let i = 0; i < 1203; i++) api.set(`ns-${i}`, { team: `t${i % 7}` });
    const { store, source } = await watch();
    expect(source.synced).toBe(false);
    await eventually(() => expect(source.synced).toBe(true));
    expect(store.size).toBe(1203);
    expect(store.get('ns-1202')).toEqual({ 'kubernetes.io/metadata.name': 'ns-1202', team: 't5' });
    expect(
      api.requests.filter((r) => r.startsWith('GET /api/v1/namespaces?') && !r.includes('watch')).length,
    ).toBe(3);
  });

  it('follows the watch: added, modified and deleted namespaces', async () => {
    api.set('shop', { team: 'storefront' });
    const { store, source } = await watch();
    await eventually(() => expect(api.openWatches).toBe(1));
    expect(source.synced).toBe(true);
    api.set('payments', { team: 'payments' });
    api.set('shop', { team: 'payments' });
    await eventually(() => expect(store.get('shop')).toMatchObject({ team: 'payments' }));
    expect(store.get('payments')).toMatchObject({ team: 'payments' });
    api.delete('payments');
    await eventually(() => expect(store.has('payments')).toBe(false));
  });

  it('resumes a watch the API server closed from the last resourceVersion, missing nothing', async () => {
    api.set('shop', { team: 'a' });
    const { store, source } = await watch();
    await eventually(() => expect(api.openWatches).toBe(1));
    api.set('shop', { team: 'b' });
    api.bookmark();
    await eventually(() => expect(store.get('shop')).toMatchObject({ team: 'b' }));
    api.closeWatches();
    api.set('shop', { team: 'c' }); // while no watch is open
    await eventually(() => expect(store.get('shop')).toMatchObject({ team: 'c' }));
    const watches = api.requests.filter((r) => r.includes('watch=true'));
    expect(watches.length).toBeGreaterThanOrEqual(2);
    expect(watches.at(-1)).toMatch(/resourceVersion=10[2-3]/);
    expect(watches.at(-1)).toContain('allowWatchBookmarks=true');
    expect(api.requests.filter((r) => r.startsWith('GET /api/v1/namespaces?limit')).length).toBe(1); // no re-list
    expect(source.restarts.closed).toBeGreaterThanOrEqual(1);
  });

  it('lists again on 410 Gone, forgetting namespaces deleted while it could not watch', async () => {
    api.set('shop', { team: 'a' });
    api.set('old', { team: 'a' });
    const { store, source } = await watch();
    await eventually(() => expect(api.openWatches).toBe(1));
    const lists = () => api.requests.filter((r) => r.startsWith('GET /api/v1/namespaces?limit')).length;
    expect(lists()).toBe(1);
    // The API server ends the watch; before the client is back (same tick: it cannot be), a
    // namespace is deleted, one is created, and etcd compacts those events away.
    api.closeWatches();
    api.delete('old');
    api.set('new', { team: 'b' });
    api.compact();
    await eventually(() => expect(store.has('new')).toBe(true));
    expect(store.has('old')).toBe(false);
    expect(source.restarts.gone).toBe(1);
    expect(lists()).toBe(2);
    // And it watches again, from the new list.
    await eventually(() => expect(api.openWatches).toBe(1));
    api.set('shop', { team: 'z' });
    await eventually(() => expect(store.get('shop')).toMatchObject({ team: 'z' }));
  });

  it('retries with backoff while the API server fails, and then syncs', async () => {
    api.set('shop', { team: 'a' });
    api.fail(503, 503, 500);
    const { store, source } = await watch();
    await eventually(() => expect(source.synced).toBe(true));
    expect(store.get('shop')).toMatchObject({ team: 'a' });
    expect(api.requests.filter((r) => r.startsWith('GET /api/v1/namespaces?limit')).length).toBe(4);
  });

  it('reads a namespace the watch has not delivered yet (just created) with a GET', async () => {
    const { store, source } = await watch();
    await eventually(() => expect(source.synced).toBe(true));
    expect(await source.lookup('missing', 1000)).toBeUndefined();
    // A name that does not exist, asked for many times at once and again: one request.
    const asked = () => api.requests.filter((r) => r.startsWith('GET /api/v1/namespaces/ghost')).length;
    await Promise.all(Array.from({ length: 20 }, () => source.lookup('ghost', 1000)));
    await source.lookup('ghost', 1000);
    expect(asked()).toBe(1);
    api.closeWatches(); // so the new namespace reaches the client only through the lookup
    api.set('fresh', { team: 'payments' });
    expect(await source.lookup('fresh', 1000)).toMatchObject({ team: 'payments' });
    expect(store.get('fresh')).toMatchObject({ team: 'payments' });
  });

  it('says what is missing when neither a kubeconfig nor the in-cluster ServiceAccount is there', async () => {
    await expect(
      watchKubernetesNamespaces({
        kubeconfig: undefined,
        store: new NamespaceLabelStore(),
        logger: silentLogger(),
      }),
    ).rejects.toThrow(/not running in a Kubernetes Pod .*give --kubeconfig/);
    await expect(
      watchKubernetesNamespaces({
        kubeconfig: join(dir, 'nope'),
        store: new NamespaceLabelStore(),
        logger: silentLogger(),
      }),
    ).rejects.toThrow(/cannot read the kubeconfig/);
  });
});

describe('the server with --watch-namespaces', () => {
  it('is not ready until the first list completes, then judges by the labels the API has', async () => {
    writeFileSync(
      join(dir, 'policy.yaml'),
      'apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata:\n  name: tenant\nspec:\n  namespaceSelector: { matchLabels: { team: payments } }\n  rules:\n    - rule: require-digest\n',
    );
    api.set('shop', { team: 'payments' });
    const release = api.holdLists();
    const config = loadServerConfig(
      ['--policy', 'policy.yaml', '--port', '0', '--watch-namespaces', '--kubeconfig', 'kubeconfig'],
      {},
      dir,
    );
    server = await startServer(config, { logger: silentLogger() });
    const notYet = await fetch(`${server.url}/readyz`);
    expect(notYet.status).toBe(503);
    expect(await notYet.json()).toMatchObject({
      ready: false,
      namespaceLabels: { sources: ['kubernetes'], synced: false },
    });
    expect(await (await fetch(`${server.url}/metrics`)).text()).toContain(
      'pullguard_namespace_labels_synced 0',
    );
    release();
    await eventually(async () => expect((await fetch(`${server!.url}/readyz`)).status).toBe(200));
    expect(await (await fetch(`${server.url}/metrics`)).text()).toContain(
      'pullguard_namespace_labels_synced 1',
    );

    const validate = async (namespace: string) => {
      const body = review('pod-create');
      body.request['namespace'] = namespace;
      const res = await fetch(`${server!.url}/v1/admission/validate`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return ((await res.json()) as { response: { allowed: boolean; status?: { message: string } } })
        .response;
    };
    expect((await validate('shop')).status?.message).toContain('require-digest');
    api.set('shop', { team: 'storefront' });
    await eventually(async () => expect((await validate('shop')).allowed).toBe(true));
    // Created a moment ago: read with a GET before the watch brings it.
    api.closeWatches();
    api.set('brand-new', { team: 'payments' });
    expect((await validate('brand-new')).status?.message).toContain('require-digest');
    // Not there at all: unknown, and the default fail mode denies.
    expect((await validate('ghost')).status?.message).toContain('labels of namespace "ghost" are unknown');
  });
});
