import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEngine, loadPolicies, type PolicyDocument, parseNamespacesFile } from '@pullguard/engine';
import { Registry } from 'prom-client';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { namespaceLabels } from '../src/namespaces/namespace-labels.js';
import { type Review, review } from './support/fixtures.js';
import { expectDocumentedResponse } from './support/openapi-validator.js';

// The example policies: `tenant-payments` governs the namespaces labelled team: payments (by
// label only), and denies what is not pinned by digest there.
const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const fileLabels = parseNamespacesFile(
  readFileSync(`${examples}manifests/namespaces.yaml`, 'utf8'),
  'namespaces.yaml',
).labels;
let policies: PolicyDocument[];

beforeAll(async () => {
  policies = await loadPolicies([`${examples}policies`]);
});

function podIn(namespace: string, image: string): Review {
  const body = review('pod-create');
  body.request['namespace'] = namespace;
  const pod = body.request.object as { metadata: Record<string, unknown>; spec: { containers: unknown[] } };
  pod.metadata['namespace'] = namespace;
  pod.spec.containers = [{ name: 'app', image, imagePullPolicy: 'Always' }];
  return body;
}

function namespaceReview(name: string, labels: Record<string, string>, operation = 'UPDATE'): Review {
  const body = review('namespace-create');
  body.request['name'] = name;
  body.request['operation'] = operation;
  body.request.object = { kind: 'Namespace', apiVersion: 'v1', metadata: { name, labels } };
  return body;
}

async function validate(app: ReturnType<typeof createApp>, body: Review) {
  const res = await request(app).post('/v1/admission/validate').send(body);
  expectDocumentedResponse('/v1/admission/validate', res);
  expect(res.status).toBe(200);
  return res.body.response as {
    allowed: boolean;
    status?: { code: number; message: string };
    warnings?: string[];
  };
}

describe('namespace labels admission believes', () => {
  it('a forged Namespace review changes no verdict (anyone who can reach the port can send one)', async () => {
    // Labels from the namespaces file, as the engine gets them at startup.
    const engine = createEngine({ policies, namespaceLabels: fileLabels });
    const registry = new Registry();
    const app = createApp({ engine, registry });
    const pod = podIn('team-payments', 'nginx:1.27');
    const before = await validate(app, pod);
    expect(before.allowed).toBe(false);
    expect(before.status?.message).toContain('tenant-payments');

    // The attack: the same namespace "without" its team label, then a made-up namespace "with" it.
    await validate(app, namespaceReview('team-payments', { 'kubernetes.io/metadata.name': 'team-payments' }));
    await validate(app, namespaceReview('prod-new', { team: 'payments' }, 'CREATE'));

    expect(await validate(app, pod)).toEqual(before);
    expect((await request(app).get('/v1/namespaces/team-payments/explain')).body.labels).toMatchObject({
      team: 'payments',
    });
    expect((await request(app).get('/v1/namespaces/prod-new/explain')).body.labels).toBeNull();
    expect(await registry.metrics()).toContain('pullguard_namespace_reviews_total{result="ignored"} 2');
  });

  it('denies by default while a namespace’s labels are unknown, naming the policies it cannot judge', async () => {
    const registry = new Registry();
    const app = createApp({ engine: createEngine({ policies, namespaceLabels: fileLabels }), registry });
    // A pinned image from an approved registry: nothing else would deny it.
    const image = `registry.acme.io/payments/api@sha256:${'c'.repeat(64)}`;
    const response = await validate(app, podIn('payments-eu', image));
    expect(response.allowed).toBe(false);
    expect(response.status?.code).toBe(403);
    expect(response.status?.message).toBe(
      'pullguard denied Pod payments-eu/web: the labels of namespace "payments-eu" are unknown, so policy ' +
        'tenant-payments (selecting namespaces by label) cannot be judged; no source of namespace labels is ' +
        'configured (--namespaces-file or --watch-namespaces) (--unknown-labels deny)',
    );
    expect(await registry.metrics()).toContain(
      'pullguard_namespace_labels_unknown_total{webhook="validate",mode="deny"} 1',
    );
    // Known labels that the selector does not match: judged, and allowed.
    expect((await validate(app, podIn('dev-x', image))).allowed).toBe(true);
  });

  it('with --unknown-labels allow, evaluates without those policies and says so in a warning', async () => {
    const app = createApp({
      engine: createEngine({ policies }),
      namespaces: namespaceLabels({ unknown: 'allow' }),
    });
    const response = await validate(
      app,
      podIn('payments-eu', `registry.acme.io/payments/api@sha256:${'c'.repeat(64)}`),
    );
    expect(response.allowed).toBe(true);
    expect(response.warnings).toContain('namespace payments-eu labels unknown: not applied: tenant-payments');
  });

  it('takes labels from the store it is given and passes their changes to the engine', async () => {
    const labels = namespaceLabels({ sources: ['file'] });
    const app = createApp({ engine: createEngine({ policies }), namespaces: labels });
    const pod = podIn('payments-eu', 'nginx:1.27');
    expect((await validate(app, pod)).status?.message).toContain(
      'labels of namespace "payments-eu" are unknown',
    );
    labels.store.set('file', 'payments-eu', { team: 'payments' });
    const judged = await validate(app, pod);
    expect(judged.allowed).toBe(false);
    expect(judged.status?.message).toContain('container "app" image "nginx:1.27"');
    labels.store.set('file', 'payments-eu', { team: 'storefront' });
    expect((await validate(app, pod)).allowed).toBe(true);
    labels.store.delete('file', 'payments-eu');
    expect((await validate(app, pod)).status?.message).toContain('are unknown');
  });
});
