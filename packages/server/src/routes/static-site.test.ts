import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { stubEngine } from '../../test/support/stub-engine.js';
import { createApp } from '../app.js';

const dir = mkdtempSync(join(tmpdir(), 'pullguard-site-'));
mkdirSync(join(dir, 'docs'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
writeFileSync(join(dir, 'app.js'), 'console.log(1)');
writeFileSync(join(dir, 'docs', 'page.css'), 'body{}');
writeFileSync(join(dir, 'notes.md'), '# not served');
writeFileSync(join(dir, '..', 'secret.js'), 'no');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CSP = "default-src 'none'; script-src 'self'";
const app = createApp({
  engine: stubEngine(),
  site: { path: '/playground', dir, contentSecurityPolicy: CSP },
});

describe('a static site served beside the API', () => {
  it('redirects its path to the folder URL, where index.html answers', async () => {
    const redirect = await request(app).get('/playground');
    expect([redirect.status, redirect.headers['location']]).toEqual([308, '/playground/']);
    const index = await request(app).get('/playground/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.text).toContain('<title>x</title>');
  });

  it('sends each file with its type, nosniff and the CSP, HEAD without a body', async () => {
    for (const [path, type] of [
      ['/playground/app.js', 'text/javascript; charset=utf-8'],
      ['/playground/docs/page.css', 'text/css; charset=utf-8'],
    ] as const) {
      const res = await request(app).get(path);
      expect([res.status, res.headers['content-type']]).toEqual([200, type]);
      expect(res.headers['content-security-policy']).toBe(CSP);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    const head = await request(app).head('/playground/app.js');
    expect([head.status, head.text]).toEqual([200, undefined]);
  });

  it('answers only the files the folder held: no other type, nothing outside, no traversal', async () => {
    for (const path of [
      '/playground/notes.md',
      '/playground/missing.js',
      '/playground/../secret.js',
      '/playground/%2e%2e/secret.js',
      '/playground/..%2fsecret.js',
      '/playground/docs/../../secret.js',
    ]) {
      const res = await request(app).get(path);
      expect([path, res.status]).toEqual([path, 404]);
    }
  });

  it('refuses writes with 405 and Allow', async () => {
    const res = await request(app).post('/playground/app.js').send('x');
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe('GET, HEAD');
  });

  it('is not served unless given', async () => {
    expect((await request(createApp({ engine: stubEngine() })).get('/playground/')).status).toBe(404);
  });
});
