import type { RequestHandler } from 'express';
import type { components } from '../generated/api.js';
import type { ServerMetrics } from '../metrics.js';
import type { NamespaceLabels } from '../namespaces/namespace-labels.js';
import type { PolicyService } from '../policy-service.js';

type Readiness = components['schemas']['Readiness'];

export const healthz: RequestHandler = (_req, res) => {
  res.json({ status: 'ok' } satisfies components['schemas']['Health']);
};

/**
 * 503 until a policy set serves and namespace labels are read (the Kubernetes API's first list
 * has completed); afterwards 200, with the last reload's outcome either way.
 */
export function readyz(policies: PolicyService, namespaces: NamespaceLabels): RequestHandler {
  return (_req, res) => {
    const status = policies.status();
    const labels = namespaces.status();
    const ready = status.ready && labels.synced;
    const body: Readiness = {
      ready,
      fingerprint: status.fingerprint,
      policies: status.policies,
      namespaceLabels: { sources: labels.sources, synced: labels.synced, namespaces: labels.namespaces },
    };
    if (status.lastReload) body.lastReload = status.lastReload as Readiness['lastReload'] & object;
    res.status(ready ? 200 : 503).json(body);
  };
}

export function metricsEndpoint(metrics: ServerMetrics): RequestHandler {
  return async (_req, res) => {
    const text = await metrics.registry.metrics();
    res.type(metrics.registry.contentType).send(text);
  };
}

export function openapiDocument(document: Readonly<Record<string, unknown>>): RequestHandler {
  const body = JSON.stringify(document);
  return (_req, res) => {
    res.type('application/json').send(body);
  };
}
