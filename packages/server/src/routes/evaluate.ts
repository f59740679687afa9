import type { Engine, EvaluateOptions, EvaluateTextOptions, Report } from '@pullguard/engine';
import type { SchemaCheck } from '@pullguard/engine/internals';
import type { Request, RequestHandler } from 'express';
import type { components } from '../generated/api.js';
import { JSON_TYPES, parsedBody, rawBodyText, YAML_TYPES } from '../http/body.js';
import type { Deadline } from '../http/deadline.js';
import { findTooDeep } from '../http/depth.js';
import { HttpError } from '../http/http-error.js';
import { checkBody } from '../http/request-schemas.js';
import { isNamespaceName } from '../k8s-names.js';
import type { ServerMetrics } from '../metrics.js';
import type { PolicyService } from '../policy-service.js';
import { requireEngine } from './policies.js';

type EvaluateRequest = components['schemas']['EvaluateRequest'];

/** What a request asks to evaluate, by what it sent: text (a YAML body, `manifests`) or `objects`. */
type Evaluation =
  | { kind: 'text'; text: string; options: EvaluateTextOptions }
  | { kind: 'objects'; objects: readonly unknown[]; options: EvaluateOptions };

export interface EvaluateContext {
  policies: PolicyService;
  metrics: ServerMetrics;
  /** The evaluation deadline (`deadline(timeoutMs, 'the evaluation')`). */
  deadline: Deadline;
  maxDepth: number;
  /** The EvaluateRequest schema check (http/request-schemas.ts). */
  checkRequest: SchemaCheck;
}

/** POST /v1/evaluate: JSON (`objects` or `manifests`) or a raw YAML body. */
export function evaluateHandler(ctx: EvaluateContext): RequestHandler {
  return async (req, res) => {
    const engine = requireEngine(ctx.policies, ctx.metrics, 'evaluate');
    const body = parsedBody(req, [...JSON_TYPES, ...YAML_TYPES]);
    // By content type, not by the body's shape: a JSON string body is not YAML text.
    const evaluation = req.is([...YAML_TYPES]) ? fromYaml(req) : fromJson(req, body, ctx);
    const signal = ctx.deadline.signal();
    const report = await ctx.deadline(evaluate(engine, evaluation, signal)).catch((error: unknown) => {
      const timeout = error instanceof HttpError && error.code === 'EVALUATION_TIMEOUT';
      ctx.metrics.recordEvaluationFailure('evaluate', timeout ? 'timeout' : 'error');
      throw error;
    });
    ctx.metrics.recordReport('evaluate', report, false);
    res.locals['verdict'] = report.verdict;
    res.json(report);
  };
}

function evaluate(engine: Engine, evaluation: Evaluation, signal: AbortSignal): Promise<Report> {
  return evaluation.kind === 'text'
    ? engine.evaluateText(evaluation.text, { ...evaluation.options, signal })
    : engine.evaluateObjects(evaluation.objects, { ...evaluation.options, signal });
}

function fromYaml(req: Request): Evaluation {
  const namespace = queryString(req, 'namespace');
  const file = queryString(req, 'file');
  if (namespace !== undefined) checkNamespace(namespace);
  return { kind: 'text', text: req.body as string, options: { namespace, file } };
}

function fromJson(req: Request, body: unknown, ctx: EvaluateContext): Evaluation {
  checkBody(ctx.checkRequest, body, () => rawBodyText(req));
  const request = body as EvaluateRequest;
  const options: EvaluateOptions = { namespace: request.namespace, namespaceLabels: request.namespaceLabels };
  if (request.manifests !== undefined) {
    return { kind: 'text', text: request.manifests, options: { ...options, file: request.file } };
  }
  const objects = request.objects ?? [];
  objects.forEach((object, i) => {
    const at = findTooDeep(object, ctx.maxDepth);
    if (at !== undefined) {
      throw new HttpError('TOO_DEEP', `objects[${i}] nests deeper than ${ctx.maxDepth} levels (at ${at})`, {
        field: `objects[${i}]`,
      });
    }
  });
  return { kind: 'objects', objects, options };
}

function checkNamespace(value: string): void {
  if (!isNamespaceName(value)) {
    throw new HttpError(
      'INVALID_REQUEST',
      `${JSON.stringify(value)} is not a namespace name (lowercase RFC 1123 label, ≤ 63 characters)`,
      { field: 'namespace' },
    );
  }
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
