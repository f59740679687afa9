/**
 * Plugin rules that throw, reject or hang, in the real server: every request is still answered
 * (200, findings with status `error`), each entry's action decides what the failure means, and the
 * server stays healthy.
 */
import { createClient } from '@pullguard/sdk/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from './server-process.js';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess([
    '--policy',
    'examples/client/__fixtures__/flaky-policy.yaml',
    '--plugin',
    './examples/client/__fixtures__/flaky-plugin.mjs',
  ]);
});
afterAll(async () => {
  await server?.stop();
});

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'prod-a' },
  spec: { containers: [{ name: 'app', image: 'registry.acme.io/web:1.0', imagePullPolicy: 'IfNotPresent' }] },
};

describe('a server whose plugin rules fail', () => {
  it('answers evaluate with one error finding per failing rule, under each entry action', async () => {
    const report = await createClient({ baseUrl: server.url }).evaluate([pod]);
    expect(report.findings.map((f) => [f.rule, f.status, f.action, f.message])).toEqual([
      ['flaky/hangs', 'error', 'audit', 'RULE_TIMEOUT: rule flaky/hangs did not answer within 1000 ms'],
      ['flaky/rejects', 'error', 'warn', 'RULE_ERROR: rule flaky/rejects rejected: service down'],
      ['flaky/throws', 'error', 'deny', 'RULE_ERROR: rule flaky/throws threw: kaboom'],
    ]);
    expect(report.verdict).toBe('fail');
    expect(report.summary.findings.errors).toBe(3);
  });

  it('denies the admission review for the deny entry only, and keeps serving', async () => {
    const client = createClient({ baseUrl: server.url });
    const answer = await client.validateAdmission({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid: 'flaky-1',
        kind: { group: '', version: 'v1', kind: 'Pod' },
        resource: { group: '', version: 'v1', resource: 'pods' },
        namespace: 'prod-a',
        operation: 'CREATE',
        object: pod,
      },
    });
    expect(answer.response.allowed).toBe(false);
    expect(answer.response.status?.message).toMatch(/flaky\/throws/);
    expect(answer.response.status?.message).not.toMatch(/flaky\/rejects|flaky\/hangs/);
    expect(await client.health()).toEqual({ status: 'ok' });
    expect(await client.ready()).toMatchObject({ ready: true });
  });
});
