import { ERROR_CODES, type PolicyDocument, PullguardAggregateError } from '@pullguard/engine';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { HTTP_ERROR_CODES } from '../src/http/error-codes.js';
import { silentLogger } from '../src/logger.js';
import { FilePolicies } from '../src/policy-service.js';
import {
  expectDocumentedRequest,
  expectDocumentedResponse,
  openapi,
  schema,
} from './support/openapi-validator.js';
import { stubEngine } from './support/stub-engine.js';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:latest' }] } } },
};

describe('POST /v1/evaluate', () => {
  it('evaluates JSON objects in the given namespace and answers the report', async () => {
    const engine = stubEngine();
    const app = createApp({ engine });
    const body = { objects: [deployment], namespace: 'shop', namespaceLabels: { shop: { env: 'prod' } } };
    expectDocumentedRequest('/v1/evaluate', 'post', body);
    const res = await request(app).post('/v1/evaluate').send(body);
    expectDocumentedResponse('/v1/evaluate', res);
    expect(res.status).toBe(200);
    expect(res.body.verdict).toBe('fail');
    expect(res.body.findings.map((f: { rule: string }) => f.rule)).toEqual(['no-latest', 'prefer-digest']);
    expect(engine.calls[0]).toEqual({
      kind: 'objects',
      input: [deployment],
      options: {
        namespace: 'shop',
        namespaceLabels: { shop: { env: 'prod' } },
        // The evaluation deadline, passed on to registry lookups.
        signal: expect.any(AbortSignal),
      },
    });
  });

  it('passes manifest text and its file name to the engine', async () => {
    const engine = stubEngine();
    const app = createApp({ engine });
    const body = { manifests: 'kind: Pod\n', file: 'pod.yaml' };
    expectDocumentedRequest('/v1/evaluate', 'post', body);
    const res = await request(app).post('/v1/evaluate').send(body);
    expect(res.status).toBe(200);
    expect(engine.calls[0]).toEqual({
      kind: 'text',
      input: 'kind: Pod\n',
      options: {
        namespace: undefined,
        file: 'pod.yaml',
        namespaceLabels: undefined,
        signal: expect.any(AbortSignal),
      },
    });
  });

  it('reads a raw application/yaml body, with namespace and file from the query', async () => {
    const engine = stubEngine();
    const app = createApp({ engine });
    const res = await request(app)
      .post('/v1/evaluate?namespace=prod&file=web.yaml')
      .set('Content-Type', 'application/yaml')
      .send('kind: Pod\nmetadata: {name: x}\n');
    expectDocumentedResponse('/v1/evaluate', res);
    expect(res.status).toBe(200);
    expect(engine.calls[0]).toEqual({
      kind: 'text',
      input: 'kind: Pod\nmetadata: {name: x}\n',
      options: { namespace: 'prod', file: 'web.yaml', signal: expect.any(AbortSignal) },
    });
  });

  const invalid: [string, unknown, string][] = [
    ['neither objects nor manifests', { namespace: 'x' }, ''],
    ['both objects and manifests', { objects: [], manifests: '' }, ''],
    ['objects that are not an array', { objects: {} }, 'objects'],
    ['an object that is not an object', { objects: [deployment, 'nope'] }, 'objects[1]'],
    ['manifests that are not text', { manifests: 42 }, 'manifests'],
    ['a namespace that is not a name', { objects: [], namespace: 'Prod_1' }, 'namespace'],
    ['labels that are not strings', { objects: [], namespaceLabels: { a: { b: 1 } } }, 'namespaceLabels.a.b'],
    ['an unknown field', { objects: [], object: {} }, 'object'],
    ['a body that is not an object', [deployment], ''],
  ];
  for (const [what, body, field] of invalid) {
    it(`answers 400 INVALID_REQUEST for ${what}`, async () => {
      const app = createApp({ engine: stubEngine() });
      const res = await request(app)
        .post('/v1/evaluate')
        .send(body as object);
      expectDocumentedResponse('/v1/evaluate', res);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_REQUEST');
      expect(res.body.error.field).toBe(field === '' ? undefined : field);
    });
  }

  it('bounds nesting before evaluating: 400 TOO_DEEP with the object and path', async () => {
    const engine = stubEngine();
    const app = createApp({ engine, config: { maxDepth: 5 } });
    const res = await request(app)
      .post('/v1/evaluate')
      .send({ objects: [{ kind: 'Pod', a: { b: { c: { d: { e: { f: 1 } } } } } }] });
    expectDocumentedResponse('/v1/evaluate', res);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'TOO_DEEP',
      message: 'objects[0] nests deeper than 5 levels (at /a/b/c/d/e)',
      field: 'objects[0]',
    });
    expect(engine.calls).toHaveLength(0);
  });
});

describe('GET /v1/policies and /v1/namespaces/{namespace}/explain', () => {
  it('lists the policies, rules and fingerprint serving', async () => {
    const app = createApp({ engine: stubEngine() });
    const res = await request(app).get('/v1/policies');
    expectDocumentedResponse('/v1/policies', res);
    expect(res.body.fingerprint).toBe('stub-fingerprint');
    expect(res.body.policies[0].name).toBe('stub-policy');
    expect(res.body.rules[0].id).toBe('no-latest');
  });

  it('explains a namespace with the labels given as k=v,k2=v2', async () => {
    const engine = stubEngine();
    const app = createApp({ engine });
    const res = await request(app).get(
      '/v1/namespaces/shop/explain?labels=env%3Dprod,example.com%2Fteam%3Dweb,empty%3D',
    );
    expectDocumentedResponse('/v1/namespaces/{namespace}/explain', res);
    expect(res.body.labels).toEqual({ env: 'prod', 'example.com/team': 'web', empty: '' });
  });

  it('says labels are unknown (null) when neither the query nor the server knows them', async () => {
    const app = createApp({ engine: stubEngine() });
    const res = await request(app).get('/v1/namespaces/shop/explain');
    expectDocumentedResponse('/v1/namespaces/{namespace}/explain', res);
    expect(res.body.labels).toBeNull();
  });

  it('rejects malformed labels and namespace names with 400 naming the field', async () => {
    const app = createApp({ engine: stubEngine() });
    for (const [url, field] of [
      ['/v1/namespaces/shop/explain?labels=env', 'labels'],
      ['/v1/namespaces/shop/explain?labels=-bad=x', 'labels'],
      ['/v1/namespaces/shop/explain?labels=a=b&labels=c=d', 'labels'],
      ['/v1/namespaces/Shop/explain', 'namespace'],
    ] as const) {
      const res = await request(app).get(url);
      expectDocumentedResponse('/v1/namespaces/{namespace}/explain', res);
      expect([res.status, res.body.error.field]).toEqual([400, field]);
    }
  });
});

describe('operations endpoints', () => {
  it('GET /healthz answers ok', async () => {
    const app = createApp({ engine: stubEngine() });
    const res = await request(app).get('/healthz');
    expectDocumentedResponse('/healthz', res);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /openapi.json serves the OpenAPI document', async () => {
    const app = createApp({ engine: stubEngine() });
    const res = await request(app).get('/openapi.json');
    expectDocumentedResponse('/openapi.json', res);
    expect(res.body).toEqual(openapi);
    expect(res.body.openapi).toBe('3.1.0');
  });

  it('GET /metrics exposes request, evaluation, finding and cache metrics from its own registry', async () => {
    const app = createApp({ engine: stubEngine() });
    await request(app)
      .post('/v1/evaluate')
      .send({ objects: [deployment] });
    const res = await request(app).get('/metrics');
    expectDocumentedResponse('/metrics', res);
    expect(res.text).toContain(
      'pullguard_http_request_duration_seconds_count{route="/v1/evaluate",method="POST",status="200"} 1',
    );
    expect(res.text).toContain('pullguard_evaluations_total{endpoint="evaluate",verdict="fail"} 1');
    expect(res.text).toContain('pullguard_findings_total{rule="no-latest",action="deny"} 1');
    expect(res.text).toContain('pullguard_cache_hits_total 7');
    expect(res.text).toContain('pullguard_cache_misses_total 3');
    expect(res.text).toContain('pullguard_cache_entries 3');
    expect(res.text).toContain('pullguard_policies_loaded 1');
    // A second app keeps its own counts: no global registry.
    const other = createApp({ engine: stubEngine() });
    const fresh = await request(other).get('/metrics');
    expect(fresh.text).not.toContain('pullguard_evaluations_total{');
  });
});

describe('readiness and reloads (FilePolicies)', () => {
  const doc = { name: 'p' } as PolicyDocument;
  function files(load: () => Promise<PolicyDocument[]>) {
    const engine = stubEngine();
    let reloaded = 0;
    const policies = new FilePolicies({
      paths: ['policies/'],
      load,
      createEngine: () =>
        Object.assign(engine, {
          reload: () => ({ ok: true as const, fingerprint: `fp-${++reloaded}`, warnings: [] }),
        }),
      logger: silentLogger(),
      now: () => new Date('2026-11-25T00:00:00Z'),
    });
    return { engine, policies };
  }
  const broken = () =>
    Promise.reject(
      new PullguardAggregateError('policies do not load', [
        {
          code: 'POLICY_SCHEMA',
          message: 'spec.rules is required',
          location: { file: 'policies/p.yaml', line: 3, column: 1 },
          severity: 'error',
        },
      ]),
    );

  it('is not ready (503) until a policy set loads, and says why', async () => {
    const { policies } = files(broken);
    await policies.reload('startup');
    const app = createApp({ policies });
    const res = await request(app).get('/readyz');
    expectDocumentedResponse('/readyz', res);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({
      ready: false,
      fingerprint: null,
      lastReload: { ok: false, trigger: 'startup' },
    });
    expect(res.body.lastReload.errors[0].location).toEqual({ file: 'policies/p.yaml', line: 3, column: 1 });
    const evaluate = await request(app).post('/v1/evaluate').send({ objects: [] });
    expectDocumentedResponse('/v1/evaluate', evaluate);
    expect([evaluate.status, evaluate.body.error.code]).toEqual([503, 'NOT_READY']);
  });

  it('keeps the last good set serving after a failed reload, and reports it in /readyz, the API and metrics', async () => {
    let fail = false;
    const { policies } = files(() => (fail ? broken() : Promise.resolve([doc])));
    await policies.reload('startup');
    const app = createApp({ policies, config: { adminToken: 't' } });
    fail = true;
    const reload = await request(app).post('/v1/policies/reload').set('Authorization', 'Bearer t');
    expectDocumentedResponse('/v1/policies/reload', reload);
    expect(reload.status).toBe(422);
    expect(reload.body.error.code).toBe('RELOAD_FAILED');
    expect(reload.body.error.details[0].code).toBe('POLICY_SCHEMA');
    const ready = await request(app).get('/readyz');
    expectDocumentedResponse('/readyz', ready);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      ready: true,
      fingerprint: 'stub-fingerprint',
      lastReload: { ok: false, trigger: 'api' },
    });
    const metrics = (await request(app).get('/metrics')).text;
    expect(metrics).toContain('pullguard_policy_reloads_total{result="ok"} 1');
    expect(metrics).toContain('pullguard_policy_reloads_total{result="failed"} 1');
    expect(metrics).toContain('pullguard_policy_last_reload_success 0');
    fail = false;
    const ok = await request(app).post('/v1/policies/reload').set('Authorization', 'Bearer t');
    expectDocumentedResponse('/v1/policies/reload', ok);
    expect(ok.body).toEqual({ ok: true, fingerprint: 'fp-1', warnings: [] });
  });

  it('runs reloads one at a time', async () => {
    const order: string[] = [];
    let n = 0;
    const { policies } = files(async () => {
      const id = ++n;
      order.push(`start ${id}`);
      await new Promise((r) => setTimeout(r, 5));
      order.push(`end ${id}`);
      return [doc];
    });
    await Promise.all([policies.reload('startup'), policies.reload('watch'), policies.reload('api')]);
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });
});

describe('the OpenAPI document', () => {
  it('documents exactly the routes the server serves', async () => {
    const app = createApp({ engine: stubEngine() });
    for (const [path, item] of Object.entries(openapi.paths)) {
      for (const method of Object.keys(item)) {
        const url = path.replace('{namespace}', 'shop');
        const res = await request(app)[method as 'get' | 'post'](url);
        expect([method, path, res.status]).not.toEqual([method, path, 404]);
        expect([method, path, res.status]).not.toEqual([method, path, 405]);
      }
    }
    const undocumented = await request(app).get('/v1/admission');
    expect(undocumented.status).toBe(404);
  });

  it('lists exactly the server codes and the engine codes in ErrorCode', () => {
    const documented = (openapi.components.schemas['ErrorCode'] as { enum: string[] }).enum;
    expect([...documented].sort()).toEqual(
      [...Object.keys(HTTP_ERROR_CODES), ...Object.keys(ERROR_CODES)].sort(),
    );
  });

  it('rejects what it should (the validator is not vacuous)', () => {
    expect(
      schema('AdmissionReviewResponse')({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        response: { uid: 'x' },
      }),
    ).toBe(false);
    expect(schema('AdmissionResponse')({ uid: 'x', allowed: true, patch: 'W10=' })).toBe(false); // patch without patchType
    expect(schema('AdmissionResponse')({ uid: 'x', allowed: true, warnings: ['x'.repeat(121)] })).toBe(false);
    expect(schema('AdmissionResponse')({ uid: 'x', allowed: true, auditAnnotations: { 'a/b': 'v' } })).toBe(
      false,
    );
    expect(schema('ErrorBody')({ error: { code: 'NOPE', message: 'x' } })).toBe(false);
  });
});
