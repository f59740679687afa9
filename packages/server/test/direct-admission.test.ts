import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { review } from './support/fixtures.js';
import { stubEngine } from './support/stub-engine.js';

// Reviews with a UTF-8 JSON body and a Content-Length are answered without Express's router;
// everything else goes through Express. Both must give the same answers and the same request line.
const lines: Record<string, unknown>[] = [];
const registry = new Registry();
const app = createApp({
  engine: stubEngine(),
  registry,
  config: { bodyLimitBytes: 64 * 1024 },
  logger: createLogger({
    destination: new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n')) if (line !== '') lines.push(JSON.parse(line));
        done();
      },
    }),
  }),
});
const server = app.listen(0, '127.0.0.1');
let port: number;
beforeAll(async () => {
  if (!server.listening) await new Promise((done) => server.once('listening', done));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

/** POSTs `body` with `headers` and reads the answer. */
function post(path: string, headers: Record<string, string>, body: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        const { date: _date, ...rest } = res.headers;
        resolve({ status: res.statusCode ?? 0, headers: rest, body: text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const pod = JSON.stringify(review('pod-create'));
const json = (body: string | Buffer) => ({
  'content-type': 'application/json',
  'content-length': String(Buffer.byteLength(body)),
});
/** A chunked body (no Content-Length) is read by Express's parser. */
const chunked = { 'content-type': 'application/json', 'transfer-encoding': 'chunked' };

describe('admission reviews answered without Express', () => {
  it('answer exactly as Express does for the same review sent chunked (no Content-Length)', async () => {
    const direct = await post('/v1/admission/validate', json(pod), pod);
    const viaExpress = await post('/v1/admission/validate', chunked, pod);
    expect(direct.status).toBe(200);
    expect(JSON.parse(direct.body).response.allowed).toBe(false);
    expect(direct.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(direct).toEqual(viaExpress);
  });

  it('read the query string the API server appends (?timeout=10s) as the same route', async () => {
    const answer = await post('/v1/admission/validate?timeout=10s', json(pod), pod);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).response.uid).toBe(review('pod-create').request.uid);
  });

  it('drop a UTF-8 byte order mark, as express.json does', async () => {
    const body = Buffer.concat([Buffer.from('\ufeff'), Buffer.from(pod)]);
    const answer = await post('/v1/admission/validate', json(body), body);
    expect(answer.status).toBe(200);
  });

  it('answer malformed JSON with 400 JSON_SYNTAX and its line and column, as Express does', async () => {
    const body = '{\n  "kind": }';
    const direct = await post('/v1/admission/mutate', json(body), body);
    const viaExpress = await post('/v1/admission/mutate', chunked, body);
    expect(direct.status).toBe(400);
    expect(JSON.parse(direct.body)).toEqual({
      error: {
        code: 'JSON_SYNTAX',
        message: "the body is not valid JSON: unexpected '}' at line 2, column 11",
        location: { line: 2, column: 11 },
      },
    });
    expect(direct).toEqual(viaExpress);
  });

  it('leave other charsets to Express (415 naming the charset)', async () => {
    const answer = await post(
      '/v1/admission/validate',
      { 'content-type': 'application/json; charset=latin1', 'content-length': String(pod.length) },
      pod,
    );
    expect(answer.status).toBe(415);
    expect(JSON.parse(answer.body).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('log one request line and one histogram observation per review, as Express requests are', async () => {
    lines.length = 0;
    await post('/v1/admission/validate', json(pod), pod);
    await post('/v1/admission/validate', chunked, pod);
    const requestLines = lines.filter((l) => l['msg'] === 'request');
    expect(requestLines).toHaveLength(2);
    for (const line of requestLines) {
      expect(line).toMatchObject({
        level: 'info',
        service: 'pullguard',
        method: 'POST',
        route: '/v1/admission/validate',
        status: 200,
        verdict: 'fail',
        uid: review('pod-create').request.uid,
      });
      expect(typeof line['durationMs']).toBe('number');
    }
    const metrics = await registry.metrics();
    expect(metrics).toMatch(
      /pullguard_http_request_duration_seconds_count\{route="\/v1\/admission\/validate",method="POST",status="200"\} \d+/,
    );
  });

  it('survive a client that goes away in the middle of the body', async () => {
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        path: '/v1/admission/validate',
        method: 'POST',
        headers: json(pod),
      });
      req.on('error', () => resolve());
      req.write(pod.slice(0, 100), () => {
        req.destroy();
        resolve();
      });
    });
    const answer = await post('/v1/admission/validate', json(pod), pod);
    expect(answer.status).toBe(200);
  });
});
