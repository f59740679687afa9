/**
 * @pullguard/sdk/client against the real server: every method, typed errors from real answers,
 * and the client example of docs/sdk.md.
 */
import { readFileSync } from 'node:fs';
import { createClient, PullguardApiError, PullguardNetworkError } from '@pullguard/sdk/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gate } from '../doc-snippets/client.js';
import { EXAMPLE_PLUGIN_FLAGS } from '../test-support.js';
import { closedPortUrl, type ServerProcess, startServerProcess } from './server-process.js';

const TOKEN = 'example-admin-token';
let server: ServerProcess;

beforeAll(async () => {
  server = await startServerProcess(
    [...EXAMPLE_PLUGIN_FLAGS, '--namespaces-file', 'examples/manifests/namespaces.yaml'],
    { PULLGUARD_ADMIN_TOKEN: TOKEN },
  );
});
afterAll(async () => {
  await server?.stop();
});

const manifest = (file: string) => readFileSync(new URL(`../manifests/${file}`, import.meta.url), 'utf8');

function review(uid: string, object: Record<string, unknown>) {
  return {
    apiVersion: 'admission.k8s.io/v1' as const,
    kind: 'AdmissionReview' as const,
    request: {
      uid,
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      namespace: 'prod-a',
      operation: 'CREATE' as const,
      object,
    },
  };
}

const pod = (image: string, imagePullPolicy?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'prod-a', annotations: { 'acme.io/owner': 'storefront' } },
  spec: { containers: [{ name: 'app', image, ...(imagePullPolicy ? { imagePullPolicy } : {}) }] },
});

describe('the client against a running server', () => {
  it('health and ready', async () => {
    const client = createClient({ baseUrl: server.url });
    expect(await client.health()).toEqual({ status: 'ok' });
    expect(await client.ready()).toMatchObject({ ready: true, policies: 5, fingerprint: expect.any(String) });
  });

  it('policies: the example policies and the plugin rules', async () => {
    const list = await createClient({ baseUrl: server.url }).policies();
    expect(list.policies.map((p) => p.name).sort()).toEqual([
      'baseline',
      'development',
      'platform-plugins',
      'production',
      'tenant-payments',
    ]);
    expect(list.rules.find((r) => r.id === 'team-registry/own-path')).toMatchObject({
      source: 'team-registry',
    });
  });

  it('evaluate text: the report, with file locations', async () => {
    const report = await createClient({ baseUrl: server.url }).evaluate(
      manifest('bad/team-payments-foreign.yaml'),
      {
        file: 'team-payments-foreign.yaml',
      },
    );
    expect(report.verdict).toBe('fail');
    const own = report.findings.filter((f) => f.rule === 'team-registry/own-path');
    expect(own.map((f) => [f.container.name, f.location])).toEqual([
      ['metrics', { file: 'team-payments-foreign.yaml', line: 20, column: 18 }],
      ['ledger', { file: 'team-payments-foreign.yaml', line: 25, column: 18 }],
    ]);
  });

  it('evaluate objects, with the labels of a namespace the server does not know', async () => {
    const object = pod(`registry.acme.io/storefront/web@sha256:${'a'.repeat(64)}`, 'IfNotPresent');
    delete (object.metadata as { namespace?: string }).namespace;
    const report = await createClient({ baseUrl: server.url }).evaluate([object], {
      namespace: 'team-x',
      namespaceLabels: { 'team-x': { team: 'payments' } },
    });
    // The label makes tenant-payments govern team-x: only the team's own paths are allowed.
    const denied = report.findings.filter((f) => f.action === 'deny');
    expect(denied.map((f) => `${f.policy} ${f.rule} ${f.namespace}`).sort()).toEqual([
      'platform-plugins team-registry/own-path team-x',
      'tenant-payments allowed-registries team-x',
    ]);
    expect(denied.every((f) => f.location === undefined && f.pointer === '/spec/containers/0/image')).toBe(
      true,
    );
  });

  it('explain: why a namespace is governed by what it is governed by', async () => {
    const explanation = await createClient({ baseUrl: server.url }).explain('team-payments', {
      team: 'payments',
    });
    expect(explanation.labels).toMatchObject({ team: 'payments' });
    expect(explanation.policies.filter((p) => p.applies).map((p) => p.name)).toContain('tenant-payments');
  });

  it('validateAdmission: a denied Pod, with the reasons in the status message', async () => {
    const answer = await createClient({ baseUrl: server.url }).validateAdmission(
      review('uid-1', pod('nginx:latest')),
    );
    expect(answer.response.uid).toBe('uid-1');
    expect(answer.response.allowed).toBe(false);
    expect(answer.response.status?.message).toMatch(/require-digest/);
  });

  it('mutateAdmission: a JSON Patch that sets imagePullPolicy: Always on a mutable tag', async () => {
    const answer = await createClient({ baseUrl: server.url }).mutateAdmission(
      review('uid-2', pod('registry.acme.io/storefront/web:1.4', 'IfNotPresent')),
    );
    expect(answer.response.patchType).toBe('JSONPatch');
    const patch = JSON.parse(Buffer.from(answer.response.patch ?? '', 'base64').toString('utf8'));
    expect(patch).toContainEqual({
      op: 'replace',
      path: '/spec/containers/0/imagePullPolicy',
      value: 'Always',
    });
  });

  it('reloadPolicies needs the admin token: 401 UNAUTHORIZED without it', async () => {
    const error = await createClient({ baseUrl: server.url })
      .reloadPolicies()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PullguardApiError);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    const ok = await createClient({ baseUrl: server.url, token: TOKEN }).reloadPolicies();
    expect(ok).toMatchObject({ ok: true, fingerprint: expect.any(String) });
  });

  it("surfaces the server's validation error with its code and field", async () => {
    const error = await createClient({ baseUrl: server.url })
      .evaluate('kind: Pod', { namespace: 'Not_A_Namespace' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PullguardApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'INVALID_REQUEST',
      field: expect.stringMatching(/namespace/),
    });
  });
});

describe('the client example of docs/sdk.md', () => {
  it('deploys what passes, blocks what is denied, and says when pullguard is unavailable', async () => {
    expect(await gate(server.url, manifest('good/prod-a-web.yaml'))).toBe('deploy');
    expect(await gate(server.url, manifest('bad/prod-a-latest.yaml'))).toBe('blocked');
    // A document the server cannot read next to a good one: the `error` verdict blocks too.
    const unreadable =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: [{name: a, image: !!timestamp 2024-01-01}]}\n';
    expect(await gate(server.url, `${manifest('good/prod-a-web.yaml')}---\n${unreadable}`)).toBe('blocked');
    expect(await gate(await closedPortUrl(), 'kind: Pod')).toBe('unavailable');
  });

  it('PullguardNetworkError is what an unreachable server gives', async () => {
    const baseUrl = await closedPortUrl();
    await expect(createClient({ baseUrl }).health()).rejects.toBeInstanceOf(PullguardNetworkError);
  });
});
