import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Engine } from '@pullguard/engine';
import express, { type Express, type RequestHandler } from 'express';
import { Registry } from 'prom-client';
import { requireAdminToken } from './http/admin-auth.js';
import { jsonParser, yamlParser } from './http/body.js';
import { deadline } from './http/deadline.js';
import { errorHandler, methodNotAllowed, notFound } from './http/error-handler.js';
import { requestLog, requestRecorder } from './http/request-log.js';
import { requestChecks } from './http/request-schemas.js';
import { type Logger, silentLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { type NamespaceLabels, namespaceLabels, type UnjudgedMemo } from './namespaces/namespace-labels.js';
import { loadOpenApiDocument } from './openapi-document.js';
import { fixedPolicies, type PolicyService } from './policy-service.js';
import {
  admissionHandler,
  type DirectHandler,
  directAdmission,
  type ReviewContext,
} from './routes/admission.js';
import { evaluateHandler } from './routes/evaluate.js';
import { healthz, metricsEndpoint, openapiDocument, readyz } from './routes/operations.js';
import { explainNamespace, listPolicies, reloadPolicies } from './routes/policies.js';
import { mountStaticSite, type StaticSite } from './routes/static-site.js';

export interface AppConfig {
  /** Bearer token for admin endpoints; undefined disables them (403). */
  adminToken: string | undefined;
  /** Largest request body in bytes (default 3 MiB, the API server's own request limit). */
  bodyLimitBytes: number;
  /** Admission evaluations that cannot finish: `closed` denies (default), `open` allows with a warning. */
  failureMode: 'closed' | 'open';
  /** Deadline for one evaluation, ms (default 10,000; keep it below the webhook's timeoutSeconds). */
  timeoutMs: number;
  /** Deepest nesting accepted in an object (default 100, the engine's manifest limit). */
  maxDepth: number;
  /**
   * Admission reviews only from clients with a verified TLS client certificate (`--client-ca`:
   * the API server's); others get 403 CLIENT_CERT_REQUIRED. Needs an HTTPS server that requests
   * client certificates (startServer sets it up).
   */
  requireClientCert: boolean;
}

export const DEFAULT_APP_CONFIG: AppConfig = {
  adminToken: undefined,
  bodyLimitBytes: 3 * 1024 * 1024,
  failureMode: 'closed',
  timeoutMs: 10_000,
  maxDepth: 100,
  requireClientCert: false,
};

export interface AppDeps {
  /** A ready engine with a fixed policy set (tests, benchmarks, embedding) … */
  engine?: Engine | undefined;
  /** … or the server's policy service (files, reloads); one of the two is required. */
  policies?: PolicyService | undefined;
  /** Default: silent. */
  logger?: Logger | undefined;
  /** Default: a new Registry for this app (metrics never go to prom-client's global registry). */
  registry?: Registry | undefined;
  /**
   * The namespace labels admission believes (default: none known, `--unknown-labels deny`, no
   * learning). Their changes are passed on to the engine serving.
   */
  namespaces?: NamespaceLabels | undefined;
  config?: Partial<AppConfig> | undefined;
  /** Default: read from packages/server/openapi/openapi.yaml. */
  openapi?: Readonly<Record<string, unknown>> | undefined;
  /** Static files served beside the API (`pullguard serve`: the playground at /playground). */
  site?: StaticSite | undefined;
}

/** The server's request listener (for `http.createServer`, supertest, or `listen`). */
export interface PullguardApp {
  (req: IncomingMessage, res: ServerResponse): void;
  /** The Express app that serves every request the admission fast path does not answer. */
  readonly express: Express;
  /** Like Express 5's `app.listen`: an HTTP server for this app; `callback` also gets a listen error. */
  listen(port: number, host?: string, callback?: (error?: Error) => void): Server;
}

/**
 * The server's request listener: the Express app, with the admission fast path in front of it
 * (`answerDirectFirst`), everything injected: no global state, several apps can share a process.
 * Pass `registry` to read the metrics in-process; they are also served at /metrics.
 */
export function createApp(deps: AppDeps): PullguardApp {
  const policies = deps.policies ?? (deps.engine ? fixedPolicies(deps.engine) : undefined);
  if (policies === undefined) throw new TypeError('createApp needs `engine` or `policies`');
  const config: AppConfig = { ...DEFAULT_APP_CONFIG, ...stripUndefined(deps.config ?? {}) };
  const logger = deps.logger ?? silentLogger();
  const namespaces = deps.namespaces ?? namespaceLabels();
  const unjudged: UnjudgedMemo = new Map();
  // The engine judges with the labels the store has: those known now, and every change. (An
  // engine created later, by a policy service, is given the store's labels when it is created.)
  for (const [namespace, labels] of Object.entries(namespaces.store.snapshot()))
    policies.engine?.setNamespaceLabels(namespace, labels);
  namespaces.store.onChange((namespace, labels) => {
    unjudged.clear();
    policies.engine?.setNamespaceLabels(namespace, labels);
  });
  const metrics = createMetrics(deps.registry ?? new Registry(), {
    cacheStats: () => policies.engine?.cacheStats(),
    policyStatus: () => policies.status(),
    namespaceStatus: () => namespaces.status(),
  });
  const openapi = deps.openapi ?? loadOpenApiDocument();
  const checks = requestChecks(openapi);
  const evaluationDeadline = deadline(config.timeoutMs, 'the evaluation');
  const admission: ReviewContext = {
    policies,
    metrics,
    logger,
    failureMode: config.failureMode,
    deadline: evaluationDeadline,
    maxDepth: config.maxDepth,
    namespaces,
    unjudged,
    checkReview: checks.admissionReview,
    requireClientCert: config.requireClientCert,
  };
  const json = jsonParser(config.bodyLimitBytes);
  const record = requestRecorder(logger, metrics);

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');

  app.use(requestLog(record));

  // The admission webhooks first: they are the hot path, and Express tries routes in order.
  // Reviews as the API server sends them skip Express altogether (see `answerDirectFirst`).
  const direct = new Map<string, DirectHandler>();
  for (const webhook of ['validate', 'mutate'] as const) {
    const path = `/v1/admission/${webhook}`;
    route(app, path, { post: [json, admissionHandler(webhook, admission)] });
    direct.set(
      path,
      directAdmission(webhook, admission, { route: path, bodyLimitBytes: config.bodyLimitBytes, record }),
    );
  }
  route(app, '/v1/evaluate', {
    post: [
      json,
      yamlParser(config.bodyLimitBytes),
      evaluateHandler({
        policies,
        metrics,
        deadline: evaluationDeadline,
        maxDepth: config.maxDepth,
        checkRequest: checks.evaluate,
      }),
    ],
  });
  route(app, '/v1/policies', { get: [listPolicies(policies)] });
  route(app, '/v1/policies/reload', {
    post: [requireAdminToken(config.adminToken), reloadPolicies(policies)],
  });
  route(app, '/v1/namespaces/:namespace/explain', { get: [explainNamespace(policies)] });
  route(app, '/healthz', { get: [healthz] });
  route(app, '/readyz', { get: [readyz(policies, namespaces)] });
  route(app, '/metrics', { get: [metricsEndpoint(metrics)] });
  route(app, '/openapi.json', { get: [openapiDocument(openapi)] });
  if (deps.site !== undefined) mountStaticSite(app, deps.site);

  app.use(notFound);
  app.use(errorHandler(logger));
  return answerDirectFirst(app, direct);
}

/**
 * The app as an HTTP request listener: admission reviews for the exact webhook paths go to their
 * `direct` handler, which answers them without Express (Express's router entry, body parser and
 * response helpers cost more CPU than the review itself: docs/benchmarks.md); what a direct
 * handler declines, and every other request, goes to the Express app. No Express internals are
 * touched, so embedders can also mount `app.express` in their own Express app (without the fast path).
 * Invariants: docs/performance-invariants.md#the-direct-admission-path.
 */
function answerDirectFirst(app: Express, direct: ReadonlyMap<string, DirectHandler>): PullguardApp {
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method === 'POST') {
      const url = req.url ?? '';
      const query = url.indexOf('?');
      const handler = direct.get(query === -1 ? url : url.slice(0, query));
      if (handler?.(req, res)) return;
    }
    app(req, res);
  };
  const listen = (port: number, host?: string, callback?: (error?: Error) => void): Server => {
    const server = createServer(listener);
    let called = false;
    const done = (error?: Error) => {
      if (called) return;
      called = true;
      callback?.(error);
    };
    server.once('error', done);
    return server.listen(port, host, () => done());
  };
  return Object.assign(listener, { express: app, listen });
}

/** Registers a path's methods, then 405 (with `Allow`) for every other method. */
function route(
  app: Express,
  path: string,
  methods: { get?: RequestHandler[]; post?: RequestHandler[] },
): void {
  const r = app.route(path);
  if (methods.get) r.get(...methods.get);
  if (methods.post) r.post(...methods.post);
  // Express answers HEAD with the GET handler; list it too.
  const allowed = [...(methods.get ? ['GET', 'HEAD'] : []), ...(methods.post ? ['POST'] : [])];
  r.all(methodNotAllowed(allowed));
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
