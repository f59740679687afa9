import { isPullguardError } from '@pullguard/engine';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logger.js';
import { HttpError } from './http-error.js';
import { locateJsonError } from './json-error-location.js';

/** What body-parser (Express 5's `express.json`/`express.text`) attaches to the errors it raises. */
interface BodyParserError {
  type: string;
  status?: number;
  body?: unknown;
  length?: number;
  limit?: number;
  message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string'
  );
}

/** Turns anything thrown on the way into the one error shape; unknown errors become INTERNAL without details. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (isPullguardError(error)) {
    return new HttpError(error.code, error.message, { field: error.field, location: error.location });
  }
  if (isBodyParserError(error)) {
    switch (error.type) {
      case 'entity.parse.failed':
        return jsonSyntaxError(typeof error.body === 'string' ? error.body : '', error.message);
      case 'entity.too.large':
        return new HttpError(
          'BODY_TOO_LARGE',
          `the body is ${error.length ?? 'more than the limit of'} bytes; the limit is ${error.limit} bytes`,
        );
      case 'charset.unsupported':
      case 'encoding.unsupported':
        return new HttpError('UNSUPPORTED_MEDIA_TYPE', error.message, { field: 'Content-Type' });
      case 'request.aborted':
      case 'request.size.invalid':
        return new HttpError('INVALID_REQUEST', `the body could not be read: ${error.message}`);
    }
  }
  // Express and its router mark client errors with a 4xx status (e.g. a malformed %-escape in a path).
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500 && error instanceof Error) {
    return new HttpError(status === 404 ? 'NOT_FOUND' : 'INVALID_REQUEST', error.message);
  }
  return new HttpError('INTERNAL', 'an unexpected error occurred; the server log has the details');
}

/** JSON_SYNTAX with the line and column where `text` stops being valid JSON (`message`: the parser's own, if none is found). */
export function jsonSyntaxError(text: string, message: string): HttpError {
  const where = locateJsonError(text);
  const detail = where
    ? `${where.problem} at line ${where.location.line}, column ${where.location.column}`
    : message;
  return new HttpError('JSON_SYNTAX', `the body is not valid JSON: ${detail}`, { location: where?.location });
}

/** `error` as the HttpError to answer; unexpected errors are logged (with stack, never in the response). */
export function answerFor(
  error: unknown,
  logger: Logger,
  request: { method: string; path: string },
): HttpError {
  const httpError = toHttpError(error);
  if (httpError.code === 'INTERNAL') logger.error({ err: error, ...request }, 'unexpected error');
  return httpError;
}

/** The last middleware: answers every error as JSON. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const httpError = answerFor(error, logger, { method: req.method, path: req.path });
    res.status(httpError.status).set(httpError.headers).json(httpError.toBody());
  };
}

export const notFound: RequestHandler = (req) => {
  throw new HttpError('NOT_FOUND', `no route for ${req.method} ${req.path}`);
};

/** For `app.route(path).all(...)` after the route's methods: 405 with `Allow`. */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  const allow = allowed.join(', ');
  return (req) => {
    throw new HttpError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${req.path}; use ${allow}`, {
      headers: { Allow: allow },
    });
  };
}
