import type { Diagnostic, SourceLocation } from '@pullguard/engine';
import { type ApiErrorCode, statusFor } from './error-codes.js';

/** The one error body every endpoint answers: `{ error: { code, message, field?, location?, details? } }`. */
export interface ErrorBody {
  error: {
    code: ApiErrorCode;
    message: string;
    field?: string;
    location?: SourceLocation;
    details?: Diagnostic[];
  };
}

/** An error that becomes exactly one HTTP response; thrown by handlers and middleware. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly field: string | undefined;
  readonly location: SourceLocation | undefined;
  readonly details: Diagnostic[] | undefined;
  /** Extra response headers (`Allow`, `WWW-Authenticate`). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ApiErrorCode,
    message: string,
    options: {
      field?: string | undefined;
      location?: SourceLocation | undefined;
      details?: Diagnostic[] | undefined;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.code = code;
    this.status = statusFor(code);
    this.field = options.field;
    this.location = options.location;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  toBody(): ErrorBody {
    const error: ErrorBody['error'] = { code: this.code, message: this.message };
    if (this.field !== undefined) error.field = this.field;
    if (this.location !== undefined) error.location = this.location;
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}
