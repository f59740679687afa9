import type { SchemaCheck } from '@pullguard/engine/internals';
import type { components } from '../generated/api.js';
import { HttpError } from '../http/http-error.js';
import { checkBody } from '../http/request-schemas.js';
import { isObject } from './json-patch.js';

export type AdmissionReviewRequest = components['schemas']['AdmissionReviewRequest'];
export type AdmissionRequest = components['schemas']['AdmissionRequest'];
export type AdmissionResponse = components['schemas']['AdmissionResponse'];
export type AdmissionReviewResponse = components['schemas']['AdmissionReviewResponse'];
export type KubeObject = Record<string, unknown>;

/**
 * The AdmissionRequest of an AdmissionReview (admission.k8s.io/v1), once the body matches the
 * OpenAPI document's AdmissionReviewRequest schema (`check`; `text` locates problems) and its
 * objects are of the kind the request says. Only v1 is served: the webhook configurations must
 * list `admissionReviewVersions: ["v1"]` (the API server then never sends v1beta1).
 * Upstream: k8s.io/api/admission/v1/types.go (AdmissionRequest), v0.34.
 */
export function parseAdmissionReview(
  body: unknown,
  check: SchemaCheck,
  text?: () => string | undefined,
): AdmissionRequest {
  checkBody(check, body, text);
  const request = (body as AdmissionReviewRequest).request;
  // CONNECT carries the connect options (PodExecOptions…), whose kind `request.kind` has named
  // differently across releases; it is allowed unevaluated either way.
  if (request.operation !== 'CONNECT')
    for (const field of ['object', 'oldObject'] as const) checkKind(request, field);
  return request;
}

/**
 * The review is judged by `request.kind`, so its objects must be of that kind: the API server
 * sends the object converted to the version the webhook registered for, and `request.kind` names
 * exactly that group, version and kind (k8s.io/apiserver pkg/admission/plugin/webhook/request/
 * admissionreview.go, v0.34) — for subresources too: `pods/ephemeralcontainers` sends a Pod with
 * `request.kind` v1 Pod (its REST storage's New() is a Pod since v1.22, pkg/registry/core/pod/
 * storage/storage.go), `deployments/scale` an autoscaling/v1 Scale with kind Scale. An object
 * that says otherwise was not sent by the API server; judging it would be judging a lie. An
 * object without apiVersion and kind is read as the kind the request names.
 */
function checkKind(request: AdmissionRequest, field: 'object' | 'oldObject'): void {
  const object = request[field];
  if (!isObject(object)) return;
  const { group, version, kind } = request.kind;
  const apiVersion = group === '' ? version : `${group}/${version}`;
  const says = { kind: object['kind'], apiVersion: object['apiVersion'] };
  const expected = { kind, apiVersion };
  for (const key of ['kind', 'apiVersion'] as const) {
    if (says[key] !== undefined && says[key] !== expected[key]) {
      throw new HttpError(
        'INVALID_REQUEST',
        `request.${field}.${key} is ${JSON.stringify(says[key])} but request.kind is ${kind} (${apiVersion}): an AdmissionReview is judged by request.kind, and its ${field} must be of that kind`,
        { field: `request.${field}.${key}` },
      );
    }
  }
}
