import type { EvaluateInput, EvaluateOptions } from '@pullguard/engine';
import type { Request, RequestHandler } from 'express';
import { isObject } from '../admission/review.js';
import type { components } from '../generated/api.js';
import { JSON_TYPES, parsedBody, YAML_TYPES } from '../http/body.js';
import type { Deadline } from '../http/deadline.js';
import { findTooDeep } from '../http/depth.js';
import { HttpError } from '../http/http-error.js';
import { isNamespaceName } from '../k8s-names.js';
import type { ServerMetrics } from '../metrics.js';
import type { PolicyService } from '../policy-service.js';
import { requireEngine } from './policies.js';

type EvaluateRequest = components['schemas']['EvaluateRequest'];

export interface EvaluateContext {
  policies: PolicyService;
  metrics: ServerMetrics;
  /** The evaluation deadline (`deadline(timeoutMs, 'the evaluation')`). */
  deadline: Deadline;
  maxDepth: number;
}

const FIELDS = new Set(['objects', 'manifests', 'file', 'namespace', 'namespaceLabels']);

/** POST /v1/evaluate: JSON (`objects` or `manifests`) or a raw YAML body. */
export function evaluateHandler(ctx: EvaluateContext): RequestHandler {
  return async (req, res) => {
    const engine = requireEngine(ctx.policies, ctx.metrics, 'evaluate');
    const body = parsedBody(req, [...JSON_TYPES, ...YAML_TYPES]);
    // By content type, not by the body's shape: a JSON string body is not YAML text.
    const { input, options } = req.is([...YAML_TYPES]) ? fromYaml(req) : fromJson(body, ctx.maxDepth);
    const report = await ctx.deadline(engine.evaluate(input, options)).catch((error: unknown) => {
      const timeout = error instanceof HttpError && error.code === 'EVALUATION_TIMEOUT';
      ctx.metrics.recordEvaluationFailure('evaluate', timeout ? 'timeout' : 'error');
      throw error;
    });
    ctx.metrics.recordReport('evaluate', report, false);
    res.locals['verdict'] = report.verdict;
    res.json(report);
  };
}

function fromYaml(req: Request): { input: EvaluateInput; options: EvaluateOptions } {
  const namespace = queryString(req, 'namespace');
  const file = queryString(req, 'file');
  if (namespace !== undefined) checkNamespace(namespace, 'namespace');
  return { input: req.body as string, options: { namespace, file } };
}

function fromJson(body: unknown, maxDepth: number): { input: EvaluateInput; options: EvaluateOptions } {
  if (!isObject(body)) throw invalid('', 'the body must be a JSON object with `objects` or `manifests`');
  for (const key of Object.keys(body)) {
    if (!FIELDS.has(key)) throw invalid(key, `unknown field "${key}"; expected ${[...FIELDS].join(', ')}`);
  }
  const request = body as EvaluateRequest;
  if ((request.objects === undefined) === (request.manifests === undefined)) {
    throw invalid(
      'objects',
      'send exactly one of `objects` (JSON objects) and `manifests` (YAML or JSON text)',
    );
  }
  if (request.file !== undefined && typeof request.file !== 'string')
    throw invalid('file', '`file` must be a string');
  if (request.namespace !== undefined) checkNamespace(request.namespace, 'namespace');
  const namespaceLabels =
    request.namespaceLabels === undefined ? undefined : checkLabels(request.namespaceLabels);
  const options: EvaluateOptions = { namespace: request.namespace, file: request.file, namespaceLabels };
  if (request.manifests !== undefined) {
    if (typeof request.manifests !== 'string')
      throw invalid('manifests', '`manifests` must be a string of YAML or JSON');
    return { input: request.manifests, options };
  }
  const objects: unknown = request.objects;
  if (!Array.isArray(objects)) throw invalid('objects', '`objects` must be an array of Kubernetes objects');
  objects.forEach((object, i) => {
    if (!isObject(object)) throw invalid(`objects[${i}]`, `objects[${i}] must be an object`);
    const at = findTooDeep(object, maxDepth);
    if (at !== undefined) {
      throw new HttpError('TOO_DEEP', `objects[${i}] nests deeper than ${maxDepth} levels (at ${at})`, {
        field: `objects[${i}]`,
      });
    }
  });
  return { input: objects, options };
}

function checkNamespace(value: unknown, field: string): asserts value is string {
  if (!isNamespaceName(value)) {
    throw invalid(
      field,
      `${JSON.stringify(value)} is not a namespace name (lowercase RFC 1123 label, ≤ 63 characters)`,
    );
  }
}

function checkLabels(value: unknown): Record<string, Record<string, string>> {
  if (!isObject(value))
    throw invalid('namespaceLabels', '`namespaceLabels` must map namespace names to label maps');
  for (const [namespace, labels] of Object.entries(value)) {
    if (!isObject(labels) || !Object.values(labels).every((v) => typeof v === 'string')) {
      throw invalid(`namespaceLabels.${namespace}`, 'labels must be an object of string values');
    }
  }
  return value as Record<string, Record<string, string>>;
}

function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(name, `query parameter "${name}" must be given once`);
  return value;
}

function invalid(field: string, message: string): HttpError {
  return new HttpError('INVALID_REQUEST', message, field === '' ? {} : { field });
}
