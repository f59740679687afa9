import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { review } from './support/fixtures.js';
import { expectDocumentedResponse } from './support/openapi-validator.js';
import { stubEngine } from './support/stub-engine.js';

const app = createApp({ engine: stubEngine(), config: { bodyLimitBytes: 64 * 1024 } });

/** Every error answers `{ error: { code, message, ... } }` and nothing else. */
function expectError(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
  expect(JSON.stringify(res.body)).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
}

describe('bad input', () => {
  it('answers malformed JSON with 400 JSON_SYNTAX and the line and column of the problem', async () => {
    const res = await request(app)
      .post('/v1/admission/validate')
      .set('Content-Type', 'application/json')
      .send('{\n  "apiVersion": "admission.k8s.io/v1",\n  "kind": }');
    expectDocumentedResponse('/v1/admission/validate', res);
    expectError(res, 400, 'JSON_SYNTAX');
    expect(res.body.error.location).toEqual({ line: 3, column: 11 });
    expect(res.body.error.message).toBe("the body is not valid JSON: unexpected '}' at line 3, column 11");
  });

  it('answers truncated JSON with the position of its end', async () => {
    const res = await request(app)
      .post('/v1/evaluate')
      .set('Content-Type', 'application/json')
      .send('{"objects": [');
    expectError(res, 400, 'JSON_SYNTAX');
    expect(res.body.error.location).toEqual({ line: 1, column: 14 });
  });

  it('answers a wrong content type with 415 naming Content-Type', async () => {
    const res = await request(app)
      .post('/v1/admission/validate')
      .set('Content-Type', 'text/plain')
      .send('hello');
    expectDocumentedResponse('/v1/admission/validate', res);
    expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(res.body.error.field).toBe('Content-Type');
  });

  it('answers JSON in another charset than UTF-8 with 415, not 400 (JSON is UTF-8: RFC 8259 §8.1)', async () => {
    for (const path of ['/v1/admission/validate', '/v1/evaluate']) {
      const body = Buffer.from(JSON.stringify(review('pod-create')), 'utf16le');
      for (const charset of ['utf-16', 'UTF-16LE', '"iso-8859-1"']) {
        const res = await request(app)
          .post(path)
          .set('Content-Type', `application/json; charset=${charset}`)
          .send(body);
        expectDocumentedResponse(path, res);
        expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
        expect(res.body.error.field).toBe('Content-Type');
        expect(res.body.error.message).toContain('UTF-8');
      }
    }
    // UTF-8, however it is spelled, is read.
    const ok = await request(app)
      .post('/v1/admission/validate')
      .set('Content-Type', 'application/json; charset="UTF-8"')
      .send(JSON.stringify(review('pod-delete')));
    expect(ok.status).toBe(200);
  });

  it('locates a body that does not match its schema: the field, its line and its column', async () => {
    const res = await request(app)
      .post('/v1/evaluate')
      .set('Content-Type', 'application/json')
      .send('{\n  "objects": [],\n  "namespace": "Not_A_Name"\n}');
    expectDocumentedResponse('/v1/evaluate', res);
    expectError(res, 400, 'INVALID_REQUEST');
    expect(res.body.error.field).toBe('namespace');
    expect(res.body.error.location).toEqual({ line: 3, column: 16 });
    expect(res.body.error.message).toMatch(/^namespace: "Not_A_Name" is not valid: must be a namespace name/);
    const review_ = JSON.stringify(
      { ...review('pod-create'), apiVersion: 'admission.k8s.io/v1beta1' },
      null,
      2,
    );
    const old = await request(app)
      .post('/v1/admission/validate')
      .set('Content-Type', 'application/json')
      .send(review_);
    expectError(old, 400, 'INVALID_REQUEST');
    expect(old.body.error).toMatchObject({ field: 'apiVersion', location: { line: 3, column: 17 } });
    expect(old.body.error.message).toContain('set admissionReviewVersions: ["v1"]');
  });

  it('does not read YAML on the admission endpoints (JSON only)', async () => {
    const res = await request(app)
      .post('/v1/admission/mutate')
      .set('Content-Type', 'application/yaml')
      .send('a: 1');
    expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a POST without a body with 400', async () => {
    const res = await request(app).post('/v1/admission/validate');
    expectError(res, 400, 'INVALID_REQUEST');
    expect(res.body.error.message).toContain('no body');
  });

  it('answers a body over the limit with 413 BODY_TOO_LARGE', async () => {
    const body = review('pod-create');
    (body.request.object as { metadata: Record<string, unknown> }).metadata['annotations'] = {
      big: 'x'.repeat(70 * 1024),
    };
    const res = await request(app).post('/v1/admission/validate').send(body);
    expectDocumentedResponse('/v1/admission/validate', res);
    expectError(res, 413, 'BODY_TOO_LARGE');
    expect(res.body.error.message).toContain('the limit is 65536 bytes');
  });

  it('answers a malformed %-escape in the path with 400, not 500', async () => {
    const res = await request(app).get('/v1/namespaces/%E0%A4%A/explain');
    expectError(res, 400, 'INVALID_REQUEST');
  });

  it('does not read a JSON string body as YAML text', async () => {
    const res = await request(app)
      .post('/v1/evaluate')
      .set('Content-Type', 'application/json')
      .send('"kind: Pod"');
    expectError(res, 400, 'INVALID_REQUEST');
  });

  it('answers an unknown route with 404 JSON', async () => {
    const res = await request(app).get('/v2/nothing');
    expectError(res, 404, 'NOT_FOUND');
    expect(res.body.error.message).toBe('no route for GET /v2/nothing');
  });

  it('answers a wrong method with 405 JSON and an Allow header', async () => {
    const res = await request(app).get('/v1/admission/validate');
    expectDocumentedResponse('/v1/admission/validate', Object.assign(res, { req: { method: 'POST' } }));
    expectError(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers['allow']).toBe('POST');
    const del = await request(app).delete('/healthz');
    expectError(del, 405, 'METHOD_NOT_ALLOWED');
    expect(del.headers['allow']).toBe('GET, HEAD');
  });
});

describe('admin endpoints', () => {
  const token = 's3cret-token-value';
  const guarded = createApp({ engine: stubEngine(), config: { adminToken: token } });

  it('are disabled (403 ADMIN_DISABLED) when no admin token is configured', async () => {
    const res = await request(app).post('/v1/policies/reload').set('Authorization', `Bearer ${token}`);
    expectDocumentedResponse('/v1/policies/reload', res);
    expectError(res, 403, 'ADMIN_DISABLED');
  });

  it('answer 401 without the token or with a wrong one', async () => {
    for (const header of [undefined, 'Bearer wrong', `Basic ${token}`, `Bearer ${token}x`, 'Bearer']) {
      const req = request(guarded).post('/v1/policies/reload');
      const res = await (header === undefined ? req : req.set('Authorization', header));
      expectDocumentedResponse('/v1/policies/reload', res);
      expectError(res, 401, 'UNAUTHORIZED');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="pullguard"');
    }
  });

  it('let the right token through (a fixed engine has no files to reload: 404)', async () => {
    const res = await request(guarded).post('/v1/policies/reload').set('Authorization', `Bearer ${token}`);
    expectError(res, 404, 'NOT_FOUND');
    expect(res.body.error.message).toContain('fixed engine');
  });
});
