import type { Engine } from '@pullguard/engine';
import type { RequestHandler } from 'express';
import { HttpError } from '../http/http-error.js';
import { isNamespaceName, parseLabels } from '../k8s-names.js';
import type { Endpoint, ServerMetrics } from '../metrics.js';
import type { PolicyService } from '../policy-service.js';

/** The serving engine, or 503 NOT_READY (with the last load error) before the first set loads. */
export function requireEngine(policies: PolicyService, metrics?: ServerMetrics, endpoint?: Endpoint): Engine {
  const engine = policies.engine;
  if (engine !== undefined) return engine;
  if (metrics && endpoint) metrics.recordEvaluationFailure(endpoint, 'not-ready');
  const last = policies.status().lastReload;
  throw new HttpError('NOT_READY', 'no policy set has loaded yet; see /readyz', { details: last?.errors });
}

/** GET /v1/policies */
export function listPolicies(policies: PolicyService): RequestHandler {
  return (_req, res) => {
    const engine = requireEngine(policies);
    const status = policies.status();
    res.json({
      fingerprint: engine.fingerprint,
      sources: status.sources,
      policies: engine.policies(),
      rules: engine.rules(),
      warnings: engine.warnings(),
      ...(status.lastReload ? { lastReload: status.lastReload } : {}),
    });
  };
}

/** GET /v1/namespaces/:namespace/explain?labels=k=v,k2=v2 */
export function explainNamespace(policies: PolicyService): RequestHandler {
  return (req, res) => {
    const engine = requireEngine(policies);
    const param = req.params['namespace'];
    const namespace = typeof param === 'string' ? param : '';
    if (!isNamespaceName(namespace)) {
      throw new HttpError(
        'INVALID_REQUEST',
        `"${namespace}" is not a namespace name (lowercase RFC 1123 label)`,
        {
          field: 'namespace',
        },
      );
    }
    const raw = req.query['labels'];
    if (raw !== undefined && typeof raw !== 'string') {
      throw new HttpError('INVALID_REQUEST', 'query parameter "labels" must be given once', {
        field: 'labels',
      });
    }
    res.json(engine.explain(namespace, raw === undefined ? undefined : parseLabels(raw)));
  };
}

/** POST /v1/policies/reload (behind the admin token). */
export function reloadPolicies(policies: PolicyService): RequestHandler {
  return async (_req, res) => {
    if (policies.reload === undefined) {
      throw new HttpError(
        'NOT_FOUND',
        'this server was started with a fixed engine; there are no policy files to reload',
      );
    }
    const outcome = await policies.reload('api');
    if (!outcome.ok) {
      throw new HttpError(
        'RELOAD_FAILED',
        `the policy files do not load (${outcome.errors.length} problem${outcome.errors.length === 1 ? '' : 's'}); the last good set keeps serving`,
        { details: outcome.errors },
      );
    }
    res.json(outcome);
  };
}
