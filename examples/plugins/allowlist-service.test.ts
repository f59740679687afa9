import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRuleTester, expectFindings } from '@pullguard/sdk/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAllowlistPlugin } from './allowlist-service.js';

/** A tiny allowlist service on 127.0.0.1: `/v1/check` approves images under registry.acme.io/. */
const requests: string[] = [];
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const image = url.searchParams.get('image') ?? '';
  requests.push(`${url.pathname} ${image}`);
  if (url.pathname === '/hang') return; // never answers
  if (url.pathname === '/broken') return void res.writeHead(500).end('boom');
  if (url.pathname === '/garbage') return void res.writeHead(200).end('<html>');
  if (url.pathname === '/huge')
    return void res.writeHead(200).end(JSON.stringify({ allowed: true, reason: 'x'.repeat(20_000) }));
  const allowed = image.startsWith('registry.acme.io/');
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(allowed ? { allowed } : { allowed, reason: 'not on the allowlist' }));
});
let base = '';

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  requests.length = 0;
});

const rule = 'allowlist/approved';
const clock = { time: Date.UTC(2026, 0, 1), now: () => clock.time };
/**
 * Time limits far above what a loaded machine needs, so that only the test about a service that
 * never answers sees a timeout (the plugin's own default, 500 ms, is for a service in the cluster).
 */
const PATIENT = { timeoutMs: 10_000 };
const tester = (plugin = createAllowlistPlugin()) =>
  createRuleTester(plugin, { clock, ruleTimeoutMs: 30_000 });

function pod(...images: string[]) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'app' },
    spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) },
  };
}

describe('allowlist/approved', () => {
  it('asks the service and reports the reason it gives for a refusal', async () => {
    const t = tester();
    const findings = await t.run(rule, {
      manifests: pod('registry.acme.io/web:1.0', 'busybox:1.36'),
      with: { url: `${base}/v1/check`, ...PATIENT },
    });
    expectFindings(findings).toMatch([
      {
        container: 'c1',
        status: 'violation',
        message: 'image docker.io/library/busybox:1.36 is not approved: not on the allowlist',
      },
    ]);
    expect(requests.sort()).toEqual([
      '/v1/check docker.io/library/busybox:1.36',
      '/v1/check registry.acme.io/web:1.0',
    ]);
  });

  it('answers from its cache until the time to live has passed on the injected clock', async () => {
    const t = tester();
    const run = {
      manifests: pod('busybox:1.36'),
      with: { url: `${base}/v1/check`, ttlSeconds: 60, ...PATIENT },
    };
    await t.run(rule, run);
    await t.run(rule, run);
    expect(requests).toHaveLength(1);
    clock.time += 60_000;
    expectFindings(await t.run(rule, run)).toMatch([{ message: /not approved/ }]);
    expect(requests).toHaveLength(2);
  });

  it('asks once for an image that several containers run', async () => {
    const t = tester();
    await t.run(rule, {
      manifests: pod('busybox:1.36', 'busybox:1.36', 'busybox:1.36'),
      with: { url: `${base}/v1/check`, ...PATIENT },
    });
    expect(requests).toHaveLength(1);
  });

  it('keeps at most maxEntries answers, evicting the oldest', async () => {
    const t = tester(createAllowlistPlugin({ maxEntries: 2 }));
    const url = `${base}/v1/check`;
    for (const image of ['a:1', 'b:1', 'c:1', 'a:1'])
      await t.run(rule, { manifests: pod(image), with: { url, ...PATIENT } });
    expect(requests.map((r) => r.split(' ')[1])).toEqual([
      'docker.io/library/a:1',
      'docker.io/library/b:1',
      'docker.io/library/c:1',
      'docker.io/library/a:1',
    ]);
  });

  it('reports a service that does not answer in time as an error finding, not a pass', async () => {
    const t = tester();
    const findings = await t.run(rule, {
      manifests: pod('busybox'),
      with: { url: `${base}/hang`, timeoutMs: 50 },
    });
    expectFindings(findings).toMatch([
      { status: 'error', action: 'deny', message: /did not answer within 50 ms/ },
    ]);
  });

  it('reports a failing or garbled answer as an error finding and does not cache it', async () => {
    const t = tester();
    const broken = { manifests: pod('busybox'), with: { url: `${base}/broken`, ...PATIENT } };
    expectFindings(await t.run(rule, broken)).toMatch([{ status: 'error', message: /answered HTTP 500/ }]);
    expectFindings(await t.run(rule, broken)).toMatch([{ status: 'error' }]);
    expect(requests).toHaveLength(2);
    const garbage = { manifests: pod('busybox'), with: { url: `${base}/garbage`, ...PATIENT } };
    expectFindings(await t.run(rule, garbage)).toMatch([
      { status: 'error', message: /without a boolean "allowed"/ },
    ]);
  });

  it('lets the policy decide that an unreachable service only warns', async () => {
    const t = tester();
    const report = await t.report(rule, {
      manifests: pod('busybox'),
      with: { url: `${base}/broken`, ...PATIENT },
      action: 'warn',
    });
    expect(report.verdict).toBe('pass');
    expectFindings(report.findings).toMatch([{ status: 'error', action: 'warn' }]);
  });
});
