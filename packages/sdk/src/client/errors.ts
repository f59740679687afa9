/**
 * What the client throws, as types a caller can branch on: the server answered with an error
 * (`PullguardApiError`, with the server's code and message), or no usable answer came back at all
 * (`PullguardNetworkError`: connection refused, DNS, TLS, timeout, a body that is not the API's).
 */
import type { components } from '../generated/api.js';

export type ApiErrorBody = components['schemas']['ErrorBody']['error'];
/** The server's error codes, plus `UNEXPECTED_RESPONSE` for an error answer that is not the API's shape. */
export type ApiErrorCode = ApiErrorBody['code'] | 'UNEXPECTED_RESPONSE';

export class PullguardApiError extends Error {
  override readonly name = 'PullguardApiError';
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly field: string | undefined;
  readonly location: ApiErrorBody['location'] | undefined;
  /** Every problem, when there are several (a failed policy reload lists each). */
  readonly details: NonNullable<ApiErrorBody['details']>;

  constructor(status: number, body: unknown, operation: string) {
    const error = errorBody(body);
    const code = error?.code ?? 'UNEXPECTED_RESPONSE';
    const message =
      error?.message ?? `HTTP ${status}${typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : ''}`;
    super(`${operation}: ${code} ${message}`);
    this.status = status;
    this.code = code;
    this.field = error?.field;
    this.location = error?.location;
    this.details = error?.details ?? [];
  }
}

export class PullguardNetworkError extends Error {
  override readonly name = 'PullguardNetworkError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The `{ error: { code, message } }` envelope, if `body` has it. */
function errorBody(body: unknown): ApiErrorBody | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = body.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string' ? (error as ApiErrorBody) : undefined;
}
