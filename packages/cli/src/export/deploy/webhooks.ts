/**
 * The ValidatingWebhookConfiguration and MutatingWebhookConfiguration. Each field's meaning is
 * k8s.io/api admissionregistration/v1 types.go (v0.34); the choices follow the outages of other
 * admission controllers (docs/operations.md "Failure modes").
 */
import type { IMutatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1/MutatingWebhookConfiguration';
import type { IRuleWithOperations } from 'kubernetes-models/admissionregistration.k8s.io/v1/RuleWithOperations';
import type { IValidatingWebhook } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingWebhook';
import type { IValidatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration';
import { resourceRules, type WorkloadKind } from '../vap/workloads.js';
import {
  labels,
  NAMES,
  PATHS,
  SERVICE_PORT,
  SYSTEM_NAMESPACES,
  WEBHOOK_CONFIGURATION,
  WEBHOOK_TIMEOUT_SECONDS,
} from './layout.js';

export interface WebhookOptions {
  namespace: string;
  version: string;
  /** The kinds the server judges (the engine's table, plus `--well-known-kinds`). */
  kinds: readonly WorkloadKind[];
  /** How the API server learns the CA: cert-manager's injector, or the bundle itself. */
  ca: { injectFrom: string } | { bundle: string };
}

/**
 * Every namespace but the system ones and pullguard's own. `kubernetes.io/metadata.name` is set
 * by the API server on every Namespace to its name and cannot be changed (since 1.21,
 * kubernetes/kubernetes#88253), so no one can opt a namespace out by labelling it — the hole in
 * exclusions by a label of one's choosing (open-policy-agent/gatekeeper#231).
 *
 * No `objectSelector`: it matches the object's own labels, which whoever creates the object
 * writes; "use the object selector only if the webhook is opt-in, because end users may skip the
 * admission webhook by setting the labels" (types.go, ObjectSelector).
 */
function namespaceSelector(namespace: string) {
  return {
    matchExpressions: [
      {
        key: 'kubernetes.io/metadata.name',
        operator: 'NotIn',
        values: [...new Set<string>([...SYSTEM_NAMESPACES, namespace])],
      },
    ],
  };
}

/** What both webhooks share. */
function common(o: WebhookOptions, path: string): Omit<IValidatingWebhook, 'name' | 'rules'> {
  return {
    // The only AdmissionReview version the server reads; it answers any other with 400.
    admissionReviewVersions: ['v1'],
    // Evaluating changes nothing outside the server, so dry-run requests are sent and answered too.
    sideEffects: 'None',
    // Fail closed: when pullguard cannot be reached, nothing unchecked runs. The exclusions above
    // keep the control plane and pullguard itself out of it; docs/operations.md has the
    // break-glass runbook.
    failurePolicy: 'Fail',
    // A request made through another version of a matched resource (a future apps/v2) is converted
    // and sent; `Exact` would let it through unchecked.
    matchPolicy: 'Equivalent',
    timeoutSeconds: WEBHOOK_TIMEOUT_SECONDS,
    namespaceSelector: namespaceSelector(o.namespace),
    clientConfig: {
      service: { namespace: o.namespace, name: NAMES.service, path, port: SERVICE_PORT },
      ...('bundle' in o.ca ? { caBundle: Buffer.from(o.ca.bundle).toString('base64') } : {}),
    },
  };
}

function metadata(o: WebhookOptions) {
  return {
    name: NAMES.webhooks,
    labels: labels(o.version, WEBHOOK_CONFIGURATION),
    ...('injectFrom' in o.ca ? { annotations: { 'cert-manager.io/inject-ca-from': o.ca.injectFrom } } : {}),
  };
}

/**
 * Every kind the server judges, on CREATE and UPDATE, with `pods/ephemeralcontainers` (how
 * `kubectl debug` adds a container to a running Pod: without it, any image could be started that
 * way). Controllers are checked as well as Pods so that a bad Deployment is refused at `kubectl
 * apply` rather than leaving a ReplicaSet failing to create Pods. All namespaced.
 */
function validatingRules(kinds: readonly WorkloadKind[]): IRuleWithOperations[] {
  return resourceRules(kinds).map((rule) => ({
    ...rule,
    operations: rule.operations as NonNullable<IRuleWithOperations['operations']>,
    scope: 'Namespaced',
  }));
}

export function validatingWebhooks(o: WebhookOptions): IValidatingWebhookConfiguration {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: metadata(o),
    webhooks: [
      { name: 'validate.pullguard.dev', ...common(o, PATHS.validate), rules: validatingRules(o.kinds) },
    ],
  };
}

/**
 * Pods only: a Pod's pull policy is set as it is created (and an ephemeral container's as it is
 * added), where it takes effect. Patching controllers' templates would fight GitOps tools, which
 * would see their Deployments changed and apply them again, forever. The server never patches a
 * Pod UPDATE (containers are immutable), so only CREATE is sent.
 */
export function mutatingWebhooks(o: WebhookOptions): IMutatingWebhookConfiguration {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: metadata(o),
    webhooks: [
      {
        name: 'mutate.pullguard.dev',
        ...common(o, PATHS.mutate),
        // Another webhook after pullguard (a sidecar injector) may add containers: the API server
        // then calls pullguard again, whose patches are idempotent, so the added ones are covered.
        reinvocationPolicy: 'IfNeeded',
        rules: [
          {
            apiGroups: [''],
            apiVersions: ['v1'],
            operations: ['CREATE'],
            resources: ['pods'],
            scope: 'Namespaced',
          },
          {
            apiGroups: [''],
            apiVersions: ['v1'],
            operations: ['UPDATE'],
            resources: ['pods/ephemeralcontainers'],
            scope: 'Namespaced',
          },
        ],
      },
    ],
  };
}
