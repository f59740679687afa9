import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import { PullguardApiError, PullguardNetworkError } from './errors.js';

/**
 * The client's error handling against a misbehaving HTTP server on 127.0.0.1. (The happy paths run
 * against the real pullguard server in test/client.e2e.test.ts.)
 */
const seen: { method: string; url: string; authorization: string | undefined; body: string }[] = [];
const server = createServer(async (req, res) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
  const reply = (status: number, value: string, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type }).end(value);
  };
  switch (req.url?.split('?')[0]) {
    case '/healthz':
      return reply(200, '{"status":"ok"}');
    case '/readyz':
      return reply(503, '{"ready":false,"fingerprint":null,"policies":0}');
    case '/v1/policies':
      return reply(502, '<html>Bad Gateway</html>', 'text/html');
    case '/v1/policies/reload':
      return reply(
        422,
        JSON.stringify({
          error: {
            code: 'RELOAD_FAILED',
            message: '1 policy file does not load',
            details: [{ code: 'POLICY_SCHEMA', message: 'bad', severity: 'error' }],
          },
        }),
      );
    case '/v1/evaluate':
      return reply(200, 'not json');
    case '/v1/namespaces/prod-a/explain':
      return reply(200, '{"namespace":"prod-a","labels":null,"policies":[]}');
    default:
      return; // hangs: never answers
  }
});
let baseUrl = '';

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('createClient', () => {
  it('refuses a base URL that is not an absolute http(s) URL', () => {
    expect(() => createClient({ baseUrl: 'localhost:8080' })).toThrow(/not an absolute URL|must be http/);
    expect(() => createClient({ baseUrl: 'file:///etc/passwd' })).toThrow(/must be http\(s\), not file:/);
  });

  it('sends the token as a bearer Authorization header', async () => {
    await createClient({ baseUrl, token: 's3cret' }).health();
    expect(seen.at(-1)?.authorization).toBe('Bearer s3cret');
  });

  it('returns the readiness answer also when the server is not ready (503)', async () => {
    await expect(createClient({ baseUrl }).ready()).resolves.toEqual({
      ready: false,
      fingerprint: null,
      policies: 0,
    });
  });

  it("throws PullguardApiError with the server's code, message and details", async () => {
    const error = await rejection(createClient({ baseUrl }).reloadPolicies());
    expect(error).toBeInstanceOf(PullguardApiError);
    expect(error).toMatchObject({
      status: 422,
      code: 'RELOAD_FAILED',
      message: 'reloadPolicies: RELOAD_FAILED 1 policy file does not load',
      details: [{ code: 'POLICY_SCHEMA' }],
    });
  });

  it('throws PullguardApiError UNEXPECTED_RESPONSE for an error answer that is not the API envelope', async () => {
    const error = await rejection(createClient({ baseUrl }).policies());
    expect(error).toMatchObject({
      status: 502,
      code: 'UNEXPECTED_RESPONSE',
      message: /HTTP 502: <html>Bad Gateway/,
    });
  });

  it('throws PullguardNetworkError for a success answer whose body is not JSON', async () => {
    const error = await rejection(createClient({ baseUrl }).evaluate('kind: Pod'));
    expect(error).toBeInstanceOf(PullguardNetworkError);
    expect((error as Error).message).toMatch(/answered a body that is not JSON/);
  });

  it('sends text as `manifests` with its options, objects as `objects`, and no undefined fields', async () => {
    const client = createClient({ baseUrl });
    await rejection(client.evaluate('kind: Pod', { namespace: 'prod-a', file: undefined }));
    expect(JSON.parse(seen.at(-1)?.body ?? '')).toEqual({ manifests: 'kind: Pod', namespace: 'prod-a' });
    await rejection(client.evaluate([{ kind: 'Pod' }]));
    expect(JSON.parse(seen.at(-1)?.body ?? '')).toEqual({ objects: [{ kind: 'Pod' }] });
  });

  it('serialises explain labels as k=v pairs and refuses labels that cannot be', async () => {
    const client = createClient({ baseUrl });
    await client.explain('prod-a', { env: 'prod', team: 'a' });
    expect(seen.at(-1)?.url).toBe('/v1/namespaces/prod-a/explain?labels=env%3Dprod%2Cteam%3Da');
    await expect(client.explain('prod-a', { 'a,b': 'c' })).rejects.toThrow(/not a valid Kubernetes label/);
  });

  it('throws PullguardNetworkError when nothing listens', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const error = await rejection(createClient({ baseUrl: `http://127.0.0.1:${port}` }).health());
    expect(error).toBeInstanceOf(PullguardNetworkError);
    expect((error as Error).message).toMatch(
      /^health: cannot reach http:\/\/127\.0\.0\.1:\d+: fetch failed \(.*ECONNREFUSED/,
    );
  });

  it('throws PullguardNetworkError when the server does not answer within the timeout', async () => {
    const client = createClient({ baseUrl, timeoutMs: 50 });
    const error = await rejection(
      client.validateAdmission({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        request: {} as never,
      }),
    );
    expect(error).toBeInstanceOf(PullguardNetworkError);
    expect((error as Error).message).toBe(`validateAdmission: no answer from ${baseUrl} within 50 ms`);
  });

  it("rethrows the caller's abort reason when the caller aborts", async () => {
    const controller = new AbortController();
    const pending = createClient({ baseUrl }).mutateAdmission(
      { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: {} as never },
      { signal: controller.signal },
    );
    const reason = new Error('shutting down');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});
