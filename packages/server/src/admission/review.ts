import type { components } from '../generated/api.js';
import { HttpError } from '../http/http-error.js';

export type AdmissionReviewRequest = components['schemas']['AdmissionReviewRequest'];
export type AdmissionRequest = components['schemas']['AdmissionRequest'];
export type AdmissionResponse = components['schemas']['AdmissionResponse'];
export type AdmissionReviewResponse = components['schemas']['AdmissionReviewResponse'];
export type KubeObject = Record<string, unknown>;

const OPERATIONS = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

/**
 * Checks the parts of an AdmissionReview (admission.k8s.io/v1) that pullguard relies on and says
 * which field is wrong. Only v1 is served: the webhook configurations must list
 * `admissionReviewVersions: ["v1"]` (the API server then never sends v1beta1).
 * Upstream: k8s.io/api/admission/v1/types.go (AdmissionRequest), v1.34.
 */
export function parseAdmissionReview(body: unknown): AdmissionRequest {
  if (!isObject(body)) throw invalid('', 'the body must be an AdmissionReview object');
  if (body['apiVersion'] !== 'admission.k8s.io/v1') {
    throw invalid(
      'apiVersion',
      `expected apiVersion "admission.k8s.io/v1", got ${JSON.stringify(body['apiVersion'] ?? null)}; set admissionReviewVersions: ["v1"] in the webhook configuration`,
    );
  }
  if (body['kind'] !== 'AdmissionReview') {
    throw invalid('kind', `expected kind "AdmissionReview", got ${JSON.stringify(body['kind'] ?? null)}`);
  }
  const request = body['request'];
  if (!isObject(request)) throw invalid('request', 'request is missing or not an object');
  const uid = request['uid'];
  if (typeof uid !== 'string' || uid === '')
    throw invalid('request.uid', 'request.uid is missing or not a non-empty string');
  const operation = request['operation'];
  if (typeof operation !== 'string' || !OPERATIONS.has(operation)) {
    throw invalid('request.operation', `request.operation must be one of CREATE, UPDATE, DELETE, CONNECT`);
  }
  const kind = request['kind'];
  if (!isObject(kind) || typeof kind['kind'] !== 'string' || typeof kind['group'] !== 'string') {
    throw invalid('request.kind', 'request.kind must be an object with group, version and kind');
  }
  const object = request['object'];
  // DELETE carries the object in oldObject (object is null); every other operation carries object.
  if (operation !== 'DELETE' && !isObject(object)) {
    throw invalid('request.object', `request.object is missing or not an object (required for ${operation})`);
  }
  for (const field of ['namespace', 'name', 'subResource'] as const) {
    if (request[field] !== undefined && typeof request[field] !== 'string') {
      throw invalid(`request.${field}`, `request.${field} must be a string`);
    }
  }
  if (request['dryRun'] !== undefined && typeof request['dryRun'] !== 'boolean') {
    throw invalid('request.dryRun', 'request.dryRun must be a boolean');
  }
  const oldObject = request['oldObject'];
  if (oldObject !== undefined && oldObject !== null && !isObject(oldObject)) {
    throw invalid('request.oldObject', 'request.oldObject must be an object or null');
  }
  return request as unknown as AdmissionRequest;
}

export function isObject(value: unknown): value is KubeObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(field: string, message: string): HttpError {
  return new HttpError('INVALID_REQUEST', message, field === '' ? {} : { field });
}
