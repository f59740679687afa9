/**
 * Fuzz: the server over HTTP, as a caller of /v1/evaluate or whoever reaches the webhook port sees
 * it. A real server (startServer, in this process) with the example policies, their namespace
 * labels, failure mode closed, and one more policy that flags every image (audit), gets generated
 * requests — valid ones, the same mutated anywhere, anything at all, cut and spliced bytes — with
 * content types right and wrong, sent with a Content-Length (the direct JSON path) or chunked
 * (Express's parsers). Every answer comes within the bound, is documented by the OpenAPI document
 * and is never a 5xx; bad input is a 4xx with an error code; a report is never `pass` with errors;
 * the validating webhook never allows an object it could not read, and agrees with the engine on
 * what it could; the mutating webhook never denies. No error escapes as an unhandled rejection.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine, loadPolicies, parseNamespacesFile, type Report } from '@pullguard/engine';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EVERY_IMAGE_POLICY,
  expectImagesJudged,
  expectVerdictHolds,
} from '../../../engine/test/fuzz/invariants.js';
import { firstContainer, manifests, workload } from '../../../engine/test/fuzz/manifest-arbitraries.js';
import { mutated, strangeValue } from '../../../engine/test/fuzz/mutations.js';
import { fuzzRuns, fuzzTestTimeout, NO_HANG_MS } from '../../../engine/test/fuzz/settings.js';
import { editedText } from '../../../engine/test/fuzz/texts.js';
import { loadServerConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { expectDocumentedResponse } from '../support/openapi-validator.js';

const RUNS = 150;
const examples = fileURLToPath(new URL('../../../../examples/', import.meta.url));
const KNOWN_NAMESPACES = ['prod-a', 'team-payments', 'dev-x', 'default'];

let dir: string;
let server: RunningServer;
let base: URL;
/** The same policies and labels as the server's: what admission must agree with. */
let oracle: Engine;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
const escaped: unknown[] = [];
const loggedErrors: string[] = [];
const onEscape = (error: unknown) => escaped.push(error);

beforeAll(async () => {
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
  dir = mkdtempSync(join(tmpdir(), 'pullguard-fuzz-'));
  writeFileSync(join(dir, 'every-image.yaml'), EVERY_IMAGE_POLICY);
  const namespacesFile = `${examples}manifests/namespaces.yaml`;
  const args = [
    '--policy',
    `${examples}policies`,
    '--policy',
    'every-image.yaml',
    '--namespaces-file',
    namespacesFile,
  ];
  const config = loadServerConfig(
    [...args, '--port', '0', '--no-watch', '--request-timeout', '5s', '--failure-mode', 'closed'],
    {},
    dir,
  );
  // Errors the server logs are bugs here (a 500, an evaluation that failed): kept to be shown.
  const logger = createLogger({
    level: 'error',
    destination: { write: (line: string) => void loggedErrors.push(line) },
  });
  server = await startServer(config, { logger });
  base = new URL(server.url);
  const policies = await loadPolicies([`${examples}policies`, join(dir, 'every-image.yaml')]);
  const { labels } = parseNamespacesFile(readFileSync(namespacesFile, 'utf8'), 'namespaces.yaml');
  oracle = createEngine({ policies, namespaceLabels: labels });
});

afterAll(async () => {
  await server?.close();
  agent.destroy();
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
  rmSync(dir, { recursive: true, force: true });
  expect(escaped).toEqual([]);
  expect(loggedErrors).toEqual([]);
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  text: string;
}

/** One request, with a Content-Length or chunked; rejects if no answer comes within the bound. */
function send(
  method: string,
  path: string,
  body: Buffer | undefined,
  options: { contentType?: string | undefined; chunked?: boolean } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.contentType !== undefined) headers['content-type'] = options.contentType;
    if (body !== undefined && !options.chunked) headers['content-length'] = String(body.length);
    const req = httpRequest({ host: base.hostname, port: base.port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers as Record<string, string>,
          body: parsed,
          text,
        });
      });
      res.on('error', reject);
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer to ${method} ${path} within ${NO_HANG_MS} ms`));
    }, NO_HANG_MS);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    if (body !== undefined && options.chunked) {
      // Two chunks, so that Express reads a body of unknown length.
      const half = Math.floor(body.length / 2);
      req.write(body.subarray(0, half));
      req.end(body.subarray(half));
    } else {
      req.end(body);
    }
  });
}

/** Never a 5xx; documented by the OpenAPI document; a 4xx names what was wrong. */
function expectAnswered(route: string, method: string, answer: Answer): void {
  expect(answer.status, answer.text.slice(0, 500)).toBeGreaterThanOrEqual(200);
  expect(answer.status, answer.text.slice(0, 500)).toBeLessThan(500);
  expectDocumentedResponse(route, { ...answer, req: { method } } as Parameters<
    typeof expectDocumentedResponse
  >[1]);
  if (answer.status >= 400) {
    const { error } = answer.body as { error: { code: string; message: string } };
    expect(error.code).toMatch(/^[A-Z_]+$/);
    expect(error.message).not.toBe('');
  }
}

const CONTENT_TYPES = [
  'application/json',
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON; Charset="UTF-8"',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/yaml',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/json, text/plain',
  '',
  undefined,
];
const contentType = fc.constantFrom(...CONTENT_TYPES);
const transport = fc.record({ contentType, chunked: fc.boolean() });

// --- /v1/evaluate -----------------------------------------------------------------------------------

const evaluateBody = fc.oneof(
  fc
    .tuple(
      fc.array(workload, { minLength: 1, maxLength: 3 }),
      fc.option(fc.constantFrom(...KNOWN_NAMESPACES, 'elsewhere')),
    )
    .map(([workloads, namespace]) => ({
      objects: workloads.map((w) => w.object),
      ...(namespace ? { namespace } : {}),
    })),
  manifests.map((m) => ({ manifests: m.text, file: 'deploy.yaml' })),
  mutated(
    workload.map((w) => ({
      objects: [w.object],
      namespace: 'prod-a',
      namespaceLabels: { 'prod-a': { env: 'prod' } },
    })),
  ),
  strangeValue,
);

describe('fuzz: POST /v1/evaluate', () => {
  it(
    'answers any JSON body, in any content type and transport, with a report that obeys the verdict rule or a 4xx',
    async () => {
      await fc.assert(
        fc.asyncProperty(evaluateBody, transport, async (body, how) => {
          const answer = await send('POST', '/v1/evaluate', Buffer.from(JSON.stringify(body) ?? 'null'), how);
          expectAnswered('/v1/evaluate', 'post', answer);
          if (answer.status === 200) expectVerdictHolds(answer.body as Report);
        }),
        fuzzRuns(RUNS),
      );
    },
    fuzzTestTimeout(),
  );

  it(
    'reads generated YAML as kubectl does: clean inputs without errors and every image judged, refused documents `error`',
    async () => {
      await fc.assert(
        fc.asyncProperty(manifests, fc.boolean(), async ({ text, images, refused }, asYaml) => {
          const answer = asYaml
            ? await send('POST', '/v1/evaluate?file=deploy.yaml', Buffer.from(text), {
                contentType: 'application/yaml',
              })
            : await send(
                'POST',
                '/v1/evaluate',
                Buffer.from(JSON.stringify({ manifests: text, file: 'deploy.yaml' })),
                {
                  contentType: 'application/json',
                },
              );
          expectAnswered('/v1/evaluate', 'post', answer);
          // A request over the body limit (3 MiB) is refused whole.
          if (answer.status === 413) return;
          expect(answer.status).toBe(200);
          const report = answer.body as Report;
          expectVerdictHolds(report, 'deploy.yaml');
          if (refused !== undefined) {
            expect(report.verdict, `${refused} was not refused`).toBe('error');
            return;
          }
          expect(report.errors).toEqual([]);
          expectImagesJudged(report.findings, images);
        }),
        fuzzRuns(RUNS / 2),
      );
    },
    fuzzTestTimeout(),
  );
});

// --- admission ------------------------------------------------------------------------------------

const PLURAL: Record<string, string> = { PodTemplate: 'podtemplates' };

interface Generated {
  review: {
    apiVersion: string;
    kind: string;
    request: Record<string, unknown> & { uid: string; object: Record<string, unknown> | null };
  };
  /** The object admission must judge (CREATE of a workload), and whether it can be read. */
  judged: { object: Record<string, unknown>; namespace: string; readable: boolean } | undefined;
}

/** A value kubectl would never send as an image: the object cannot be read. */
const notAString = fc.constantFrom<unknown>(12, 1.5, true, null, {}, ['evil.com/x'], { image: 'evil.com/x' });

const review: fc.Arbitrary<Generated> = fc
  .record({
    workload,
    namespace: fc.constantFrom(...KNOWN_NAMESPACES, 'elsewhere', 'prod-sandbox'),
    operation: fc.constantFrom('CREATE', 'CREATE', 'CREATE', 'UPDATE', 'DELETE', 'CONNECT'),
    dryRun: fc.boolean(),
    uid: fc.uuid(),
    broken: fc.option(notAString, { freq: 4 }),
  })
  .map(({ workload: w, namespace, operation, dryRun, uid, broken }) => {
    const object = structuredClone(w.object) as Record<string, unknown> & {
      metadata: Record<string, unknown>;
    };
    object.metadata.namespace = namespace;
    if (broken !== null) firstContainer(object)['image'] = broken;
    const apiVersion = object['apiVersion'] as string;
    const kindName = object['kind'] as string;
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const kind = { group, version, kind: kindName };
    const resource = { group, version, resource: PLURAL[kindName] ?? `${kindName.toLowerCase()}s` };
    const request = {
      uid,
      kind,
      resource,
      requestKind: kind,
      requestResource: resource,
      name: object.metadata['name'],
      namespace,
      operation,
      userInfo: { username: 'fuzz', groups: ['system:authenticated'] },
      object:
        operation === 'DELETE'
          ? null
          : operation === 'CONNECT'
            ? { kind: 'PodExecOptions', apiVersion: 'v1' }
            : object,
      oldObject: operation === 'UPDATE' || operation === 'DELETE' ? structuredClone(object) : null,
      dryRun,
    };
    return {
      review: { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request },
      judged: operation === 'CREATE' ? { object, namespace, readable: broken === null } : undefined,
    };
  });

interface AdmissionAnswer {
  response: {
    uid: string;
    allowed: boolean;
    status?: { code: number; message: string };
    patch?: string;
    patchType?: string;
  };
}

/** What holds of every 200 from a webhook, whatever was sent. */
function expectAdmissionAnswer(
  webhook: 'validate' | 'mutate',
  sent: unknown,
  answer: Answer,
): AdmissionAnswer['response'] | undefined {
  expectAnswered(`/v1/admission/${webhook}`, 'post', answer);
  if (answer.status !== 200) return undefined;
  const { response } = answer.body as AdmissionAnswer;
  expect((answer.body as { kind: string }).kind).toBe('AdmissionReview');
  expect(response.uid).toBe((sent as { request: { uid: string } }).request.uid);
  // An evaluation failure (500 under failure mode closed) is a bug for any input.
  expect(response.status?.code, response.status?.message).not.toBe(500);
  if (response.status !== undefined) expect(response.allowed).toBe(false);
  if (webhook === 'mutate') {
    expect(response.allowed).toBe(true);
    expect(response.patch === undefined).toBe(response.patchType === undefined);
    if (response.patch !== undefined) {
      const operations = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as {
        op: string;
        path: string;
      }[];
      for (const op of operations) {
        expect(['add', 'replace']).toContain(op.op);
        expect(op.path).toMatch(/^\//);
      }
    }
  }
  return response;
}

const reviewSeeds = fc.sample(review, { numRuns: 8, seed: 11 }).map((g) => JSON.stringify(g.review));

describe('fuzz: the admission webhooks', () => {
  it(
    'judge generated reviews as the engine does: never allowing an object they could not read, or one the engine would deny',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          review,
          fc.constantFrom('validate' as const, 'mutate' as const),
          fc.boolean(),
          async (generated, webhook, chunked) => {
            const answer = await send(
              'POST',
              `/v1/admission/${webhook}`,
              Buffer.from(JSON.stringify(generated.review)),
              {
                contentType: 'application/json',
                chunked,
              },
            );
            expect(answer.status).toBe(200);
            const response = expectAdmissionAnswer(webhook, generated.review, answer)!;
            const { judged } = generated;
            if (webhook !== 'validate' || judged === undefined) return;
            if (!judged.readable) {
              expect(response.allowed).toBe(false);
              // (Where the labels are unknown, `--unknown-labels deny` may deny first, with 403.)
              if (KNOWN_NAMESPACES.includes(judged.namespace)) expect(response.status?.code).toBe(400);
              return;
            }
            const report = await oracle.evaluateObject(judged.object, {
              namespace: judged.namespace,
              admitted: true,
            });
            expect(report.errors).toEqual([]);
            if (report.verdict !== 'pass') expect(response.allowed, response.status?.message).toBe(false);
            // Where the labels are known, nothing else may deny; elsewhere `--unknown-labels deny` may.
            else if (KNOWN_NAMESPACES.includes(judged.namespace))
              expect(response.allowed, response.status?.message).toBe(true);
          },
        ),
        fuzzRuns(RUNS),
      );
    },
    fuzzTestTimeout(),
  );

  it(
    'answer any body — reviews mutated anywhere, anything at all, cut and spliced bytes — with a review or a 4xx',
    async () => {
      const body = fc.oneof(
        mutated(review.map((g) => g.review)).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
        strangeValue.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
        editedText(reviewSeeds).map((text) => Buffer.from(text)),
        fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      );
      await fc.assert(
        fc.asyncProperty(
          body,
          fc.constantFrom('validate' as const, 'mutate' as const),
          transport,
          async (bytes, webhook, how) => {
            const answer = await send('POST', `/v1/admission/${webhook}`, bytes, how);
            let sent: unknown;
            try {
              sent = JSON.parse(bytes.toString('utf8'));
            } catch {
              sent = undefined;
            }
            if (answer.status === 200) expectAdmissionAnswer(webhook, sent, answer);
            else expectAnswered(`/v1/admission/${webhook}`, 'post', answer);
          },
        ),
        fuzzRuns(RUNS),
      );
    },
    fuzzTestTimeout(),
  );
});

describe('fuzz: any route, any method', () => {
  it(
    'answers with a documented status, never a 5xx',
    async () => {
      const paths = fc.constantFrom(
        '/v1/evaluate',
        '/v1/evaluate?namespace=%ZZ',
        '/v1/admission/validate',
        '/v1/policies',
        '/v1/policies/reload',
        '/v1/namespaces/prod-a/explain?labels=a=b,c',
        '/v1/namespaces/%2e%2e/explain',
        '/v1/namespaces/Not_A_Name/explain',
        '/healthz',
        '/readyz',
        '/metrics',
        '/openapi.json',
        '/%',
        '/v1/../healthz',
        '/nope',
      );
      await fc.assert(
        fc.asyncProperty(
          paths,
          fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
          async (path, method) => {
            const answer = await send(method, path, method === 'POST' ? Buffer.from('{}') : undefined, {
              contentType: 'application/json',
            });
            expect(answer.status, `${method} ${path}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
          },
        ),
        fuzzRuns(RUNS / 3),
      );
    },
    fuzzTestTimeout(),
  );
});
