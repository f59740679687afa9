import { Registry } from 'prom-client';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { applyPatch, decodePatch, type Review, review } from './support/fixtures.js';
import { expectDocumentedRequest, expectDocumentedResponse } from './support/openapi-validator.js';
import { stubEngine } from './support/stub-engine.js';

function setup(config: Parameters<typeof createApp>[0]['config'] = {}) {
  const engine = stubEngine();
  const registry = new Registry();
  const app = createApp({ engine, config, registry });
  return { engine, app, registry };
}

async function send(app: Parameters<typeof request>[0], webhook: 'validate' | 'mutate', body: Review) {
  expectDocumentedRequest(`/v1/admission/${webhook}`, 'post', body);
  const res = await request(app).post(`/v1/admission/${webhook}`).send(body);
  expectDocumentedResponse(`/v1/admission/${webhook}`, res);
  expect(res.status).toBe(200);
  expect(res.body.apiVersion).toBe('admission.k8s.io/v1');
  expect(res.body.kind).toBe('AdmissionReview');
  expect(res.body.response.uid).toBe(body.request.uid);
  return res.body.response as {
    uid: string;
    allowed: boolean;
    status?: { code: number; reason: string; message: string };
    warnings?: string[];
    auditAnnotations?: Record<string, string>;
    patch?: string;
    patchType?: string;
  };
}

describe('POST /v1/admission/validate', () => {
  it('denies a Pod CREATE with 403 and a message naming each blocking container, image, rule and why', async () => {
    const { app, engine } = setup();
    const response = await send(app, 'validate', review('pod-create'));
    expect(response.allowed).toBe(false);
    expect(response.status?.code).toBe(403);
    expect(response.status?.reason).toBe('Forbidden');
    expect(response.status?.message).toContain('pullguard denied Pod shop/web: 1 finding');
    expect(response.status?.message).toContain(
      'container "app" image "nginx:latest": no-latest — the image uses the mutable tag latest (policy stub-policy). Fix: pin a version or a digest',
    );
    expect(response).not.toHaveProperty('patch');
    expect(response).not.toHaveProperty('patchType');
    // The review's deadline is passed on: registry lookups still running when it passes end then.
    expect(engine.calls[0]?.options).toEqual({
      namespace: 'shop',
      admitted: true,
      signal: expect.any(AbortSignal),
    });
  });

  it('turns warn findings into warnings of at most 120 characters', async () => {
    const { app } = setup();
    const response = await send(app, 'validate', review('pod-create'));
    expect(response.warnings).toEqual([
      'prefer-digest nginx:latest: the image is not pinned by digest — container app',
      'prefer-digest ghcr.io/acme/exporter:1.4: the image is not pinned by digest — container metrics',
    ]);
  });

  it('allows a Pod whose images pass, without status, patch or warnings', async () => {
    const { app } = setup();
    const body = review('pod-create');
    const pod = body.request.object as { spec: { containers: { image: string }[] } };
    for (const c of pod.spec.containers) c.image = `${c.image.split(':')[0]}@sha256:${'a'.repeat(64)}`;
    const response = await send(app, 'validate', body);
    expect(response).toEqual({ uid: body.request.uid, allowed: true });
  });

  it('records audit findings as auditAnnotations with qualified-name keys', async () => {
    const { app } = setup();
    const body = review('pod-create');
    (body.request.object as { spec: { containers: { image: string }[] } }).spec.containers[0]!.image =
      `busybox@sha256:${'b'.repeat(64)}`;
    const response = await send(app, 'validate', body);
    expect(response.allowed).toBe(true);
    expect(response.auditAnnotations).toEqual({
      'audit-audit-busybox': JSON.stringify([
        {
          policy: 'stub-policy',
          container: 'app',
          image: `busybox@sha256:${'b'.repeat(64)}`,
          message: 'busybox in use',
        },
      ]),
    });
  });

  it('reports an exempted deny finding as a warning instead of blocking', async () => {
    const { app } = setup();
    const body = review('pod-create');
    (body.request.object as { spec: { containers: { image: string }[] } }).spec.containers[0]!.image =
      'exempt/app:latest';
    const response = await send(app, 'validate', body);
    expect(response.allowed).toBe(true);
    expect(response.warnings).toContain(
      'no-latest exempt/app:latest (exempt): the image uses the mutable tag latest — container app',
    );
  });

  it('evaluates in request.namespace even when metadata.namespace says otherwise', async () => {
    const { app, engine } = setup();
    const body = review('pod-create');
    (body.request.object as { metadata: { namespace: string } }).metadata.namespace = 'kube-system';
    await send(app, 'validate', body);
    expect(engine.calls[0]?.kind).toBe('object');
    const evaluated = engine.calls[0]!.input as { metadata: { namespace: string } };
    expect(evaluated.metadata.namespace).toBe('shop');
  });

  it('on UPDATE blocks only what the update introduces; pre-existing deny findings become warnings', async () => {
    const { app } = setup();
    const response = await send(app, 'validate', review('deployment-update'));
    expect(response.allowed).toBe(false);
    expect(response.status?.message).toContain(
      'container "app" image "registry.acme.io/shop/checkout:latest"',
    );
    expect(response.status?.message).not.toContain('envoy');
    expect(response.warnings).toContain(
      'no-latest envoyproxy/envoy:latest (pre-existing): the image uses the mutable tag latest — container proxy',
    );
  });

  it('allows an UPDATE that changes nothing about images, even over pre-existing violations', async () => {
    const { app } = setup();
    const body = review('deployment-update');
    body.request.object = structuredClone(body.request['oldObject']) as Record<string, unknown>;
    (body.request.object as { spec: { replicas: number } }).spec.replicas = 5;
    const response = await send(app, 'validate', body);
    expect(response.allowed).toBe(true);
  });

  it('judges only the ephemeral containers that pods/ephemeralcontainers adds', async () => {
    const { app } = setup();
    const response = await send(app, 'validate', review('pod-ephemeralcontainers'));
    expect(response.allowed).toBe(false);
    expect(response.status?.message).toContain('container "debugger-x7k2p" image "busybox": no-latest');
    expect(response.status?.message).not.toContain('nginx');
    expect(response.warnings?.join('\n')).not.toContain('nginx');
  });

  it('judges by request.kind: an object of another kind is refused with 400 naming the field', async () => {
    const { app, engine } = setup();
    for (const [field, value] of [
      ['kind', 'ConfigMap'],
      ['apiVersion', 'apps/v1'],
    ] as const) {
      const body = review('pod-create');
      (body.request.object as Record<string, unknown>)[field] = value;
      const res = await request(app).post('/v1/admission/validate').send(body);
      expectDocumentedResponse('/v1/admission/validate', res);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'INVALID_REQUEST', field: `request.object.${field}` });
      expect(res.body.error.message).toBe(
        `request.object.${field} is "${value}" but request.kind is Pod (v1): an AdmissionReview is judged by request.kind, and its object must be of that kind`,
      );
    }
    // A ConfigMap review carrying a Pod would otherwise have waved the Pod through.
    const disguised = review('pod-create');
    disguised.request['kind'] = { group: '', version: 'v1', kind: 'ConfigMap' };
    const res = await request(app).post('/v1/admission/validate').send(disguised);
    expect(res.body.error.field).toBe('request.object.kind');
    const update = review('deployment-update');
    (update.request['oldObject'] as Record<string, unknown>)['kind'] = 'StatefulSet';
    expect((await request(app).post('/v1/admission/validate').send(update)).body.error.field).toBe(
      'request.oldObject.kind',
    );
    expect(engine.calls).toHaveLength(0);
  });

  it('reads an object without apiVersion and kind as the kind request.kind names', async () => {
    const { app, engine } = setup();
    const body = review('pod-create');
    const pod = body.request.object as Record<string, unknown>;
    delete pod['kind'];
    delete pod['apiVersion'];
    const response = await send(app, 'validate', body);
    expect(response.allowed).toBe(false);
    expect(engine.calls[0]!.input).toMatchObject({ apiVersion: 'v1', kind: 'Pod' });
  });

  it('accepts pods/ephemeralcontainers as the API server sends it: request.kind v1 Pod, a Pod object', async () => {
    const { app } = setup();
    const body = review('pod-ephemeralcontainers');
    expect(body.request['kind']).toEqual({ group: '', version: 'v1', kind: 'Pod' });
    expect((body.request.object as { kind: string }).kind).toBe('Pod');
    expect((await send(app, 'validate', body)).allowed).toBe(false);
  });

  it('allows DELETE (object null) without evaluating', async () => {
    const { app, engine } = setup();
    const body = review('pod-delete');
    expect(body.request.object).toBeNull();
    expect(await send(app, 'validate', body)).toEqual({ uid: body.request.uid, allowed: true });
    expect(engine.calls).toHaveLength(0);
  });

  it('allows CONNECT, unknown kinds and other subresources without evaluating', async () => {
    const { app, engine } = setup();
    const connect = review('pod-create');
    connect.request['operation'] = 'CONNECT';
    connect.request['subResource'] = 'exec';
    connect.request.object = { kind: 'PodExecOptions', apiVersion: 'v1', command: ['sh'] };
    const configMap = review('pod-create');
    configMap.request['kind'] = { group: '', version: 'v1', kind: 'ConfigMap' };
    configMap.request.object = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'x' }, data: {} };
    const status = review('pod-create');
    status.request['operation'] = 'UPDATE';
    status.request['subResource'] = 'status';
    for (const body of [connect, configMap, status]) {
      expect(await send(app, 'validate', body)).toEqual({ uid: body.request.uid, allowed: true });
    }
    expect(engine.calls).toHaveLength(0);
  });

  it('allows a Namespace without believing its labels (learning is off, and the client is not authenticated)', async () => {
    const { app, engine } = setup();
    const body = review('namespace-create');
    expect(await send(app, 'validate', body)).toEqual({ uid: body.request.uid, allowed: true });
    expect(engine.namespaceLabels.size).toBe(0);
  });

  it('honours dryRun: same answer, no namespace labels recorded, not counted as real findings', async () => {
    const { app, engine, registry } = setup();
    const response = await send(app, 'validate', review('pod-create-dry-run'));
    expect(response.allowed).toBe(false);
    const ns = review('namespace-create');
    ns.request['dryRun'] = true;
    await send(app, 'validate', ns);
    expect(engine.namespaceLabels.size).toBe(0);
    const text = await registry.metrics();
    expect(text).not.toMatch(/pullguard_findings_total\{/);
    expect(text).toContain(
      'pullguard_admission_reviews_total{webhook="validate",operation="CREATE",allowed="false",dry_run="true"} 1',
    );
  });

  it('fails closed by default: an engine error denies with a clear message (500), no stack', async () => {
    const { app } = setup();
    const body = review('pod-create');
    (body.request.object as { spec: { containers: { image: string }[] } }).spec.containers[0]!.image = 'boom';
    const response = await send(app, 'validate', body);
    expect(response.allowed).toBe(false);
    expect(response.status).toEqual({
      code: 500,
      reason: 'InternalError',
      message:
        'pullguard could not evaluate Pod shop/web: an internal error (see the server log) (denied: failure mode is closed)',
    });
  });

  it('fails open when configured: allows, and says why in a warning', async () => {
    const { app } = setup({ failureMode: 'open' });
    const body = review('pod-create');
    (body.request.object as { spec: { containers: { image: string }[] } }).spec.containers[0]!.image = 'boom';
    const response = await send(app, 'validate', body);
    expect(response.allowed).toBe(true);
    expect(response.warnings?.[0]).toMatch(/^pullguard could not evaluate Pod shop\/web: an internal error/);
  });

  it('answers before the deadline when the evaluation hangs (failure mode decides)', async () => {
    const { app } = setup({ timeoutMs: 50 });
    const body = review('pod-create');
    (body.request.object as { spec: { containers: { image: string }[] } }).spec.containers[0]!.image = 'hang';
    const response = await send(app, 'validate', body);
    expect(response.allowed).toBe(false);
    expect(response.status?.message).toContain('the evaluation did not finish within 50 ms');
  });

  it('denies an object nested deeper than the limit, saying where', async () => {
    const { app, engine } = setup({ maxDepth: 10 });
    const body = review('pod-create');
    let deep: Record<string, unknown> = {};
    (body.request.object as { metadata: Record<string, unknown> }).metadata['annotations'] = deep;
    for (let i = 0; i < 12; i++) {
      const next: Record<string, unknown> = {};
      deep['x'] = next;
      deep = next;
    }
    const response = await send(app, 'validate', body);
    expect(response.allowed).toBe(false);
    expect(response.status?.code).toBe(400);
    expect(response.status?.message).toContain(
      'nests deeper than 10 levels (at /metadata/annotations/x/x/x/x/x/x/x/x)',
    );
    expect(engine.calls).toHaveLength(0);
  });
});

describe('POST /v1/admission/mutate', () => {
  it('answers a base64 JSONPatch that applies the declared mutations to the object', async () => {
    const { app } = setup();
    const body = review('pod-create');
    const pod = body.request.object as { spec: { containers: Record<string, unknown>[] } };
    pod.spec.containers[0]!['imagePullPolicy'] = 'IfNotPresent';
    delete pod.spec.containers[0]!['imagePullPolicy'];
    const response = await send(app, 'mutate', body);
    expect(response.allowed).toBe(true);
    expect(response.patchType).toBe('JSONPatch');
    const operations = decodePatch(response.patch!);
    expect(operations).toEqual([{ op: 'add', path: '/spec/containers/0/imagePullPolicy', value: 'Always' }]);
    const patched = applyPatch(body.request.object, operations) as typeof pod;
    expect(patched.spec.containers[0]!['imagePullPolicy']).toBe('Always');
    expect(response.warnings).toEqual([
      'pullguard set imagePullPolicy of "app" to Always: mutable tags must be pulled every time',
    ]);
  });

  it('uses replace for a field that exists', async () => {
    const { app } = setup();
    const body = review('deployment-update');
    body.request['operation'] = 'CREATE';
    body.request['oldObject'] = null;
    const response = await send(app, 'mutate', body);
    const operations = decodePatch(response.patch!);
    expect(operations).toEqual([
      { op: 'replace', path: '/spec/template/spec/containers/0/imagePullPolicy', value: 'Always' },
    ]);
    applyPatch(body.request.object, operations);
  });

  it('omits patch and patchType when there is nothing to change, and never denies over findings', async () => {
    const { app } = setup();
    const body = review('pod-create'); // app already has imagePullPolicy: Always
    const response = await send(app, 'mutate', body);
    expect(response).toEqual({ uid: body.request.uid, allowed: true });
  });

  it('patches nothing on Pod UPDATE: containers are immutable after creation', async () => {
    const { app } = setup();
    const body = review('pod-create');
    body.request['operation'] = 'UPDATE';
    body.request['oldObject'] = structuredClone(body.request.object);
    delete (body.request.object as { spec: { containers: Record<string, unknown>[] } }).spec.containers[0]![
      'imagePullPolicy'
    ];
    const response = await send(app, 'mutate', body);
    expect(response).toEqual({ uid: body.request.uid, allowed: true });
  });

  it('patches only the ephemeral containers pods/ephemeralcontainers adds', async () => {
    const { app } = setup();
    const body = review('pod-ephemeralcontainers');
    delete (body.request.object as { spec: { containers: Record<string, unknown>[] } }).spec.containers[0]![
      'imagePullPolicy'
    ];
    const response = await send(app, 'mutate', body);
    expect(decodePatch(response.patch!)).toEqual([
      { op: 'replace', path: '/spec/ephemeralContainers/0/imagePullPolicy', value: 'Always' },
    ]);
  });

  it('allows DELETE without a patch', async () => {
    const { app } = setup();
    const body = review('pod-delete');
    expect(await send(app, 'mutate', body)).toEqual({ uid: body.request.uid, allowed: true });
  });
});

describe('malformed AdmissionReviews', () => {
  const cases: [string, (r: Review) => void, string][] = [
    [
      'apiVersion',
      (r) => {
        r.apiVersion = 'admission.k8s.io/v1beta1';
      },
      'apiVersion',
    ],
    [
      'kind',
      (r) => {
        r.kind = 'Pod';
      },
      'kind',
    ],
    ['request', (r) => void delete (r as Partial<Review>).request, 'request'],
    ['request.uid', (r) => void delete (r.request as Partial<Review['request']>).uid, 'request.uid'],
    [
      'request.object',
      (r) => {
        r.request.object = null;
      },
      'request.object',
    ],
    [
      'request.operation',
      (r) => {
        r.request['operation'] = 'PATCH';
      },
      'request.operation',
    ],
    ['request.kind', (r) => void delete r.request['kind'], 'request.kind'],
  ];
  for (const [name, breakIt, field] of cases) {
    it(`answers 400 naming ${name} when it is missing or wrong`, async () => {
      const { app } = setup();
      const body = review('pod-create');
      breakIt(body);
      const res = await request(app).post('/v1/admission/validate').send(body);
      expectDocumentedResponse('/v1/admission/validate', res);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_REQUEST');
      expect(res.body.error.field).toBe(field);
    });
  }
});
