/**
 * A typed client of pullguard's REST API, built with openapi-fetch on types generated from the
 * server's OpenAPI document (src/generated/api.ts — never edited by hand). Every method either
 * resolves with the answer the document promises or throws PullguardApiError / PullguardNetworkError.
 */
import createFetchClient from 'openapi-fetch';
import type { components, paths } from '../generated/api.js';
import { PullguardApiError, PullguardNetworkError } from './errors.js';

type Schemas = components['schemas'];
// The HTTP API's shapes (JSON: no methods, dates as strings, undefined fields absent), named `Api…`
// where @pullguard/sdk exports the engine's type of the same concept (Report, Finding, …), so that
// a program importing both entries never holds two different types under one name.
export type ApiEvaluateRequest = Schemas['EvaluateRequest'];
export type ApiReport = Schemas['Report'];
export type ApiFinding = Schemas['Finding'];
export type AdmissionReviewRequest = Schemas['AdmissionReviewRequest'];
export type AdmissionReviewResponse = Schemas['AdmissionReviewResponse'];
export type ApiNamespaceExplanation = Schemas['NamespaceExplanation'];
export type PolicyList = Schemas['PolicyList'];
export type ReloadOk = Schemas['ReloadOk'];
export type Health = Schemas['Health'];
export type Readiness = Schemas['Readiness'];

export interface ClientOptions {
  /** Where the server listens: `http://pullguard.platform.svc:8080`. */
  baseUrl: string | URL;
  /** Bearer token, sent as `Authorization` (the admin token, needed by `reloadPolicies`). */
  token?: string | undefined;
  /** A fetch implementation (default: the global one), e.g. to add TLS options or tracing. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Extra headers for every request. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** How long a call may take, answer included (default 30 s). */
  timeoutMs?: number | undefined;
}

export interface CallOptions {
  /** Aborts the call; the client then rethrows the signal's reason. */
  signal?: AbortSignal | undefined;
}

export interface ApiEvaluateOptions extends CallOptions {
  /** Namespace for objects without one (default `default`). */
  namespace?: string | undefined;
  /** Name used in locations (with YAML/JSON text). */
  file?: string | undefined;
  /** Labels by namespace, for `namespaceSelector`s. */
  namespaceLabels?: Readonly<Record<string, Readonly<Record<string, string>>>> | undefined;
}

export interface PullguardClient {
  /** Evaluates YAML/JSON text (findings carry line/column) or objects. `fail` and `error` verdicts are answers, not thrown. */
  evaluate(
    manifests: string | readonly Readonly<Record<string, unknown>>[],
    options?: ApiEvaluateOptions,
  ): Promise<ApiReport>;
  /** Sends an AdmissionReview to the validating webhook, as the API server would. */
  validateAdmission(review: AdmissionReviewRequest, options?: CallOptions): Promise<AdmissionReviewResponse>;
  /** Sends an AdmissionReview to the mutating webhook; the answer carries a base64 JSON Patch, if any. */
  mutateAdmission(review: AdmissionReviewRequest, options?: CallOptions): Promise<AdmissionReviewResponse>;
  /** Which policies govern a namespace and why; `labels` overrides what the server knows of it. */
  explain(
    namespace: string,
    labels?: Readonly<Record<string, string>>,
    options?: CallOptions,
  ): Promise<ApiNamespaceExplanation>;
  /** The policies and rules now serving, and the set's fingerprint. */
  policies(options?: CallOptions): Promise<PolicyList>;
  /** Re-reads the policy files (needs the admin token). A failed reload throws with every problem in `details`. */
  reloadPolicies(options?: CallOptions): Promise<ReloadOk>;
  health(options?: CallOptions): Promise<Health>;
  /** Readiness, also when the server is not ready (503): `ready` says which. */
  ready(options?: CallOptions): Promise<Readiness>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** What openapi-fetch resolves with: data on 2xx, the parsed (or raw) error body otherwise. */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export function createClient(options: ClientOptions): PullguardClient {
  const baseUrl = parseBaseUrl(options.baseUrl);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers['Authorization'] = `Bearer ${options.token}`;
  const api = createFetchClient<paths>({
    baseUrl,
    headers,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  /** Runs one call under the timeout and turns every outcome into data or a typed error. */
  async function call<T>(
    operation: string,
    callOptions: CallOptions | undefined,
    send: (signal: AbortSignal) => Promise<Answer<T>>,
    accept: (status: number) => boolean = (status) => status >= 200 && status < 300,
  ): Promise<T> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const caller = callOptions?.signal;
    const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
    let answer: Answer<T>;
    try {
      answer = await send(signal);
    } catch (error) {
      if (caller?.aborted) throw caller.reason;
      throw new PullguardNetworkError(`${operation}: ${describeFailure(error, baseUrl, timeoutMs)}`, {
        cause: error,
      });
    }
    const { status } = answer.response;
    if (!accept(status)) throw new PullguardApiError(status, answer.error, operation);
    const body = answer.data ?? answer.error;
    if (body === undefined || typeof body !== 'object') {
      throw new PullguardApiError(status, body, `${operation}: expected a JSON body`);
    }
    return body as T;
  }

  return {
    evaluate: (manifests, { signal, ...request } = {}) =>
      call('evaluate', { signal }, (s) =>
        api.POST('/v1/evaluate', {
          body: {
            ...(typeof manifests === 'string' ? { manifests } : { objects: [...manifests] }),
            ...defined(request),
          },
          signal: s,
        }),
      ),
    validateAdmission: (review, o) =>
      call('validateAdmission', o, (s) => api.POST('/v1/admission/validate', { body: review, signal: s })),
    mutateAdmission: (review, o) =>
      call('mutateAdmission', o, (s) => api.POST('/v1/admission/mutate', { body: review, signal: s })),
    explain: (namespace, labels, o) =>
      call('explain', o, (s) =>
        api.GET('/v1/namespaces/{namespace}/explain', {
          params: { path: { namespace }, query: labels ? { labels: labelQuery(labels) } : {} },
          signal: s,
        }),
      ),
    policies: (o) => call('policies', o, (s) => api.GET('/v1/policies', { signal: s })),
    reloadPolicies: (o) => call('reloadPolicies', o, (s) => api.POST('/v1/policies/reload', { signal: s })),
    health: (o) => call('health', o, (s) => api.GET('/healthz', { signal: s })),
    ready: (o) =>
      call(
        'ready',
        o,
        (s) => api.GET('/readyz', { signal: s }),
        (status) => status === 200 || status === 503,
      ),
  };
}

function parseBaseUrl(value: string | URL): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new TypeError(`pullguard client: baseUrl "${String(value)}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`pullguard client: baseUrl must be http(s), not ${url.protocol}`);
  }
  return url.href.replace(/\/+$/, '');
}

/** `k=v,k2=v2`, the server's `labels` query; label keys and values never contain `,` or `=`. */
function labelQuery(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([key, value]) => {
      if (/[,=]/.test(key) || /[,=]/.test(value)) {
        throw new TypeError(`pullguard client: label ${key}=${value} is not a valid Kubernetes label`);
      }
      return `${key}=${value}`;
    })
    .join(',');
}

/** The record without its undefined values: the API's optional fields are absent, never null. */
function defined<T extends object>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

function describeFailure(error: unknown, baseUrl: string, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError')
    return `no answer from ${baseUrl} within ${timeoutMs} ms`;
  if (error instanceof SyntaxError) return `${baseUrl} answered a body that is not JSON`;
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `cannot reach ${baseUrl}: ${error instanceof Error ? error.message : String(error)}${cause}`;
}
