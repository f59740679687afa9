import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEngine, loadPolicies, parseNamespacesFile, parsePolicies } from '@pullguard/engine';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { applyPatch, decodePatch, review } from './support/fixtures.js';
import { expectDocumentedResponse } from './support/openapi-validator.js';

// The server with the real engine and the repository's example policies.
const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  const policies = await loadPolicies([`${examples}policies`]);
  // The namespaces the examples run in, with their labels (tenant-payments selects by label).
  const { labels } = parseNamespacesFile(
    readFileSync(`${examples}manifests/namespaces.yaml`, 'utf8'),
    'namespaces.yaml',
  );
  app = createApp({ engine: createEngine({ policies, namespaceLabels: labels }) });
});

function podIn(namespace: string, image: string, extra: Record<string, unknown> = {}) {
  const body = review('pod-create');
  body.request['namespace'] = namespace;
  const pod = body.request.object as {
    metadata: Record<string, unknown>;
    spec: { containers: Record<string, unknown>[] };
  };
  pod.metadata['namespace'] = namespace;
  pod.spec.containers = [{ name: 'app', image, ...extra }];
  return body;
}

describe('with the example policies', () => {
  it('denies :latest in production, naming the rules, and warns with the baseline', async () => {
    const res = await request(app)
      .post('/v1/admission/validate')
      .send(podIn('prod-a', 'nginx:latest', { imagePullPolicy: 'Always' }));
    expectDocumentedResponse('/v1/admission/validate', res);
    expect(res.body.response.allowed).toBe(false);
    expect(res.body.response.status.code).toBe(403);
    expect(res.body.response.status.message).toContain('container "app" image "nginx:latest"');
    expect(res.body.response.status.message).toContain('require-digest');
    expect(res.body.response.status.message).toContain('allowed-registries');
    // The baseline governs every namespace and only warns about :latest.
    expect(res.body.response.warnings.join('\n')).toContain('disallow-latest');
  });

  it('allows a pinned image from an approved registry in production', async () => {
    const image = `registry.acme.io/shop/web@sha256:${'c'.repeat(64)}`;
    const res = await request(app)
      .post('/v1/admission/validate')
      .send(podIn('prod-a', image, { imagePullPolicy: 'IfNotPresent' }));
    expectDocumentedResponse('/v1/admission/validate', res);
    expect(res.body.response).toMatchObject({ allowed: true });
    expect(res.body.response.status).toBeUndefined();
  });

  it('mutates a mutable tag in production to imagePullPolicy: Always (mutate: true)', async () => {
    const body = podIn('prod-a', 'registry.acme.io/shop/web:1.4', { imagePullPolicy: 'IfNotPresent' });
    const res = await request(app).post('/v1/admission/mutate').send(body);
    expectDocumentedResponse('/v1/admission/mutate', res);
    expect(res.body.response.patchType).toBe('JSONPatch');
    const operations = decodePatch(res.body.response.patch);
    expect(operations).toEqual([
      { op: 'replace', path: '/spec/containers/0/imagePullPolicy', value: 'Always' },
    ]);
    const patched = applyPatch(body.request.object, operations) as {
      spec: { containers: { imagePullPolicy: string }[] };
    };
    expect(patched.spec.containers[0]?.imagePullPolicy).toBe('Always');
  });

  it('explains a namespace with the labels it knows: the selector policy applies where they match', async () => {
    const res = await request(app).get('/v1/namespaces/team-payments/explain');
    expectDocumentedResponse('/v1/namespaces/{namespace}/explain', res);
    expect(res.body.labels).toMatchObject({ team: 'payments' });
    const tenant = res.body.policies.find((p: { name: string }) => p.name === 'tenant-payments');
    expect(tenant).toMatchObject({ applies: true, selector: 'match' });
    const unknown = await request(app).get('/v1/namespaces/payments-eu/explain');
    expect(unknown.body.labels).toBeNull();
    expect(unknown.body.policies.find((p: { name: string }) => p.name === 'tenant-payments')).toMatchObject({
      applies: false,
      selector: 'labels-unknown',
    });
  });

  it('evaluates manifest text with findings located by line and column', async () => {
    const file = 'bad/prod-a-latest.yaml';
    const manifests = readFileSync(`${examples}manifests/${file}`, 'utf8');
    const res = await request(app).post('/v1/evaluate').send({ manifests, file });
    expectDocumentedResponse('/v1/evaluate', res);
    expect(res.body.verdict).toBe('fail');
    const proxy = res.body.findings.find(
      (f: { container: { name: string } }) => f.container.name === 'proxy',
    );
    expect(proxy.location).toEqual({ file, line: 17, column: 18 });
  });

  it('judges a !!binary image as kubectl would send it, never passing it unread', async () => {
    const manifests = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: web, namespace: prod-a}',
      'spec:',
      '  containers:',
      '  - name: app',
      '    image: !!binary ZXZpbC5jb20veDox',
      '',
    ].join('\n');
    const res = await request(app).post('/v1/evaluate').send({ manifests, file: 'pod.yaml' });
    expectDocumentedResponse('/v1/evaluate', res);
    expect(res.body.errors).toEqual([]);
    expect(res.body.verdict).toBe('fail');
    const registries = res.body.findings.filter((f: { rule: string }) => f.rule === 'allowed-registries');
    expect(registries.map((f: { image: { raw: string } }) => f.image.raw)).toEqual(['evil.com/x:1']);
  });

  it('answers the `error` verdict when part of the input could not be read', async () => {
    const manifests =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {containers: [{name: a, image: !!timestamp 2024-01-01}]}\n';
    const res = await request(app).post('/v1/evaluate').send({ manifests, namespace: 'dev' });
    expectDocumentedResponse('/v1/evaluate', res);
    expect(res.status).toBe(200);
    expect(res.body.verdict).toBe('error');
    expect(res.body.errors.map((e: { code: string }) => e.code)).toEqual(['YAML_TAG']);
  });

  it('lists the example policies and their fingerprint', async () => {
    const res = await request(app).get('/v1/policies');
    expectDocumentedResponse('/v1/policies', res);
    expect(res.body.policies.map((p: { name: string }) => p.name).sort()).toEqual([
      'baseline',
      'development',
      'production',
      'tenant-payments',
    ]);
    expect(res.body.fingerprint).toMatch(/\S/);
  });
});

describe('GET /v1/namespaces/{namespace}/explain with the example policies', () => {
  it('shows every condition of an exemption, workloads included, and why the selector matched', async () => {
    const res = await request(app).get('/v1/namespaces/team-payments/explain?labels=team%3Dpayments');
    expectDocumentedResponse('/v1/namespaces/{namespace}/explain', res);
    const tenant = (
      res.body as { policies: { name: string; selector?: string; exemptions: Record<string, unknown>[] }[] }
    ).policies.find((p) => p.name === 'tenant-payments');
    expect(tenant?.selector).toBe('match');
    expect(tenant?.exemptions).toEqual([
      expect.objectContaining({
        rules: ['require-digest'],
        images: ['registry.acme.io/storefront/report'],
        workloads: ['CronJob/report'],
        expires: '2028-03-31',
      }),
    ]);
  });
});

describe('tag patterns that used to block the event loop (issue 11)', () => {
  // With JavaScript's backtracking RegExp one review with a 25-character tag blocked the server
  // for more than 25 s, and the "safe" `[a-z0-9]*` ×6 + `b` for 52 s on a 128-character tag.
  const patterns = ['(((((a{0,3}){3}){3}){3}){3})b', `${'a{0,40}'.repeat(12)}b`, `${'[a-z0-9]*'.repeat(6)}b`];
  const text = [
    'apiVersion: pullguard.dev/v1',
    'kind: PullPolicy',
    'metadata: {name: tags}',
    'spec:',
    '  namespaces: ["*"]',
    '  rules:',
    ...patterns.flatMap((pattern, i) => [
      '    - rule: allowed-tags',
      `      id: tags-${i}`,
      `      with: {pattern: ${JSON.stringify(pattern)}}`,
    ]),
    '',
  ].join('\n');

  it('answers admission reviews with 25- and 128-character tags, denying what does not match', async () => {
    const { documents, errors } = parsePolicies([{ text, file: 'tags.yaml' }]);
    expect(errors).toEqual([]);
    const tags = createApp({ engine: createEngine({ policies: documents, cache: false }) });
    for (const tag of ['a'.repeat(25), 'a'.repeat(128)]) {
      const res = await request(tags)
        .post('/v1/admission/validate')
        .send(podIn('dev-x', `registry.acme.io/app:${tag}`, { imagePullPolicy: 'Always' }));
      expect(res.body.response.allowed).toBe(false);
      for (const i of [0, 1, 2]) expect(res.body.response.status.message).toContain(`tags-${i}`);
    }
    const res = await request(tags)
      .post('/v1/admission/validate')
      .send(podIn('dev-x', `registry.acme.io/app:${'a'.repeat(100)}b`, { imagePullPolicy: 'Always' }));
    expect(res.body.response).toMatchObject({ allowed: true });
  });
});
