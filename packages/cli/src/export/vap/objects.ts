/**
 * The Kubernetes objects: one ValidatingAdmissionPolicy and one binding per (policy, action),
 * since a binding's `validationActions` apply to every validation of its policy. Names are
 * `pullguard.<policy>.<action>` (DNS subdomains, as policy names are); the policy and action are
 * also annotations, so tools can map a failure back to pullguard without parsing names.
 */
import { createHash } from 'node:crypto';
import type { Action, LabelSelector } from '@pullguard/engine';
import type { Variable } from './reference.js';
import type { MatchCondition } from './scope.js';
import type { ResourceRule } from './workloads.js';

export const API_VERSION = 'admissionregistration.k8s.io/v1';
export const ANNOTATIONS = {
  policy: 'pullguard.dev/policy',
  action: 'pullguard.dev/action',
  rules: 'pullguard.dev/rules',
  validUntil: 'pullguard.dev/valid-until',
} as const;
const LABELS = { 'app.kubernetes.io/managed-by': 'pullguard' };

/**
 * pullguard action → `validationActions`. Deny and Warn may not be combined (the API server
 * rejects it: the same failure would be sent twice); Deny is paired with Audit, so a denied
 * request's audit event records which validation refused it. `warn` reaches the user as a
 * warning and `audit` only the audit log, as the webhook reports them.
 */
export const VALIDATION_ACTIONS: Readonly<Record<Action, readonly string[]>> = {
  deny: ['Deny', 'Audit'],
  warn: ['Warn'],
  audit: ['Audit'],
};

const NAME_MAX = 253;

export function objectName(policy: string, action: Action): string {
  const name = `pullguard.${policy}.${action}`;
  if (name.length <= NAME_MAX) return name;
  const hash = createHash('sha256').update(policy).digest('hex').slice(0, 10);
  return `pullguard.${policy.slice(0, NAME_MAX - 22 - action.length).replace(/[.-]+$/, '')}-${hash}.${action}`;
}

export interface ValidationSpec {
  expression: string;
  message: string;
  messageExpression: string;
  reason: 'Forbidden';
}

export interface PolicyParts {
  policy: string;
  action: Action;
  rules: readonly string[];
  resourceRules: readonly ResourceRule[];
  matchConditions: readonly MatchCondition[];
  variables: readonly Variable[];
  validations: readonly ValidationSpec[];
  namespaceSelector: LabelSelector | undefined;
  validUntil: number | undefined;
}

export type KubeObject = Record<string, unknown> & { apiVersion: string; kind: string };

export function policyObjects(parts: PolicyParts): [KubeObject, KubeObject] {
  const name = objectName(parts.policy, parts.action);
  const annotations: Record<string, string> = {
    [ANNOTATIONS.policy]: parts.policy,
    [ANNOTATIONS.action]: parts.action,
    [ANNOTATIONS.rules]: parts.rules.join(','),
  };
  if (parts.validUntil !== undefined)
    annotations[ANNOTATIONS.validUntil] = new Date(parts.validUntil).toISOString();
  const metadata = { name, labels: LABELS, annotations };
  const policy: KubeObject = {
    apiVersion: API_VERSION,
    kind: 'ValidatingAdmissionPolicy',
    metadata,
    spec: {
      // Fail closed: an expression that cannot be evaluated (cost limit, an object the CEL did not
      // expect) refuses the request instead of letting it through unchecked.
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: parts.resourceRules,
        matchPolicy: 'Equivalent',
        namespaceSelector: {},
        objectSelector: {},
      },
      ...(parts.matchConditions.length > 0 ? { matchConditions: parts.matchConditions } : {}),
      variables: parts.variables,
      validations: parts.validations,
    },
  };
  const binding: KubeObject = {
    apiVersion: API_VERSION,
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata,
    spec: {
      policyName: name,
      validationActions: VALIDATION_ACTIONS[parts.action],
      matchResources: {
        namespaceSelector: parts.namespaceSelector ?? {},
        objectSelector: {},
        matchPolicy: 'Equivalent',
      },
    },
  };
  return [policy, binding];
}
