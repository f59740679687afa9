import { ERROR_CODES, type ErrorCategory, type ErrorCode } from '@pullguard/engine';

/**
 * The server's own error codes — problems of HTTP, not of manifests or policies — with their
 * status. Engine codes (ERROR_CODES) are used as they are where they apply; their status comes
 * from their category (`statusForEngineCode`). Both lists make up the OpenAPI `ErrorCode` enum.
 */
export const HTTP_ERROR_CODES = {
  INVALID_REQUEST: {
    status: 400,
    summary: 'the request does not match the API (a field is missing or wrong)',
  },
  BODY_TOO_LARGE: { status: 413, summary: 'the request body exceeds the limit' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, summary: 'the body has a content type this endpoint does not read' },
  NOT_FOUND: { status: 404, summary: 'no such route' },
  METHOD_NOT_ALLOWED: { status: 405, summary: 'the route exists, but not with this method' },
  UNAUTHORIZED: { status: 401, summary: 'the admin token is missing or wrong' },
  ADMIN_DISABLED: { status: 403, summary: 'admin endpoints are disabled: no admin token is configured' },
  NOT_READY: { status: 503, summary: 'no policy set has loaded yet' },
  RELOAD_FAILED: { status: 422, summary: 'the policy files do not load; the last good set keeps serving' },
  EVALUATION_TIMEOUT: { status: 503, summary: 'the evaluation did not finish in time' },
  CLIENT_CERT_REQUIRED: {
    status: 403,
    summary: 'admission reviews need a client certificate the configured --client-ca issued',
  },
} as const satisfies Record<string, { status: number; summary: string }>;

export type HttpErrorCode = keyof typeof HTTP_ERROR_CODES;
export type ApiErrorCode = HttpErrorCode | ErrorCode;

const STATUS_BY_CATEGORY: Record<ErrorCategory, number> = {
  input: 400,
  policy: 422,
  rule: 500,
  internal: 500,
};

export function statusFor(code: ApiErrorCode): number {
  if (Object.hasOwn(HTTP_ERROR_CODES, code)) return HTTP_ERROR_CODES[code as HttpErrorCode].status;
  return STATUS_BY_CATEGORY[ERROR_CODES[code as ErrorCode].category];
}
