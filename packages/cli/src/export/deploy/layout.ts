/**
 * The names, paths and numbers every object of `pullguard export deploy` agrees on, each written
 * once: the Deployment mounts what the ConfigMap and Secret are named, the webhooks call the
 * Service's port and the server's paths, the server's deadline stays below the webhooks'.
 */

export const APP = 'pullguard';

/**
 * The webhook configurations' component: `kubectl apply -l app.kubernetes.io/component!=…` applies
 * everything else first, so that nothing is sent to pullguard before it is ready
 * (docs/operations.md "Install").
 */
export const WEBHOOK_CONFIGURATION = 'webhook-configuration';

/** Objects of one install (`kubectl get all -l app.kubernetes.io/name=pullguard -A`). */
export function labels(version: string, component = 'admission-webhook'): Record<string, string> {
  return {
    'app.kubernetes.io/name': APP,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/version': version,
    'app.kubernetes.io/managed-by': APP,
  };
}

/** What the Service, the PodDisruptionBudget and the spread constraints select: never the version. */
export const SELECTOR = { 'app.kubernetes.io/name': APP, 'app.kubernetes.io/component': 'admission-webhook' };

/**
 * Namespaced names (in the install's namespace). Cluster-scoped ones (webhook configurations,
 * the ClusterRole) are named `pullguard` too: one install per cluster, since a second would judge
 * every request again.
 */
export const NAMES = {
  serviceAccount: APP,
  service: APP,
  deployment: APP,
  policies: `${APP}-policies`,
  tlsSecret: `${APP}-tls`,
  /** cert-manager only: the CA's Secret and the Issuers. */
  caSecret: `${APP}-ca`,
  bootstrapIssuer: `${APP}-selfsigned`,
  caIssuer: `${APP}-ca`,
  servingCertificate: `${APP}-tls`,
  caCertificate: `${APP}-ca`,
  namespaceReader: `${APP}-namespace-reader`,
  webhooks: APP,
} as const;

export const MOUNTS = {
  policies: '/etc/pullguard/policies',
  tls: '/etc/pullguard/tls',
  tmp: '/tmp',
} as const;

export const CONTAINER_PORT = 8443;
export const SERVICE_PORT = 443;

/** The server's admission paths (packages/server/openapi/openapi.yaml). */
export const PATHS = { validate: '/v1/admission/validate', mutate: '/v1/admission/mutate' } as const;

/**
 * `timeoutSeconds` of both webhooks: at most 30 (k8s.io/api admissionregistration/v1 types.go,
 * default 10). Every Pod creation waits on it when pullguard hangs, so it is short; pullguard
 * answers in milliseconds.
 */
export const WEBHOOK_TIMEOUT_SECONDS = 5;

/**
 * The server's `--request-timeout`: a second below the webhooks' timeout, so that a slow
 * evaluation ends with pullguard's own answer (its failure mode, a message that names the cause)
 * rather than the API server's generic "context deadline exceeded".
 */
export const REQUEST_TIMEOUT = `${WEBHOOK_TIMEOUT_SECONDS - 1}s`;

/**
 * Namespaces no webhook of pullguard's may gate (matched by `kubernetes.io/metadata.name`, see
 * webhooks.ts): the control plane's add-ons and node heartbeats must go on while pullguard is
 * down — GKE and Kyverno both learned this from outages — and pullguard's own namespace, or its
 * Pods could never be admitted while none of them runs.
 */
export const SYSTEM_NAMESPACES = ['kube-system', 'kube-node-lease', 'kube-public'] as const;

/** The CA lives long (its rotation changes the webhooks' caBundle); the serving certificate rotates. */
export const CA_DAYS = 3650;
export const SERVING_DAYS = 365;

/** The Service's DNS names, as the API server calls it (`<service>.<namespace>.svc`). */
export function serviceDnsNames(namespace: string): string[] {
  return [`${NAMES.service}.${namespace}.svc`, `${NAMES.service}.${namespace}.svc.cluster.local`];
}
