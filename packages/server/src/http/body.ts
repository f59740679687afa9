import express, { type Request, type RequestHandler } from 'express';
import { HttpError } from './http-error.js';

export const JSON_TYPES = ['application/json'] as const;
export const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'] as const;

/**
 * The parsed body, or why there is none: 400 when the request has no body, 415 when its content
 * type is not one of `types`. Express 5 leaves `req.body` undefined when no parser matched; this
 * turns that into a clear error in the handler, without another middleware on the hot path.
 */
export function parsedBody(req: Request, types: readonly string[]): unknown {
  if (req.body !== undefined) return req.body;
  // type-is answers null when the request has no body (no Content-Length, no Transfer-Encoding);
  // an empty body (Content-Length: 0) is no body either.
  if (req.is(types as string[]) === null || req.headers['content-length'] === '0') {
    throw new HttpError('INVALID_REQUEST', `the request has no body; send ${types[0]}`);
  }
  const contentType = req.headers['content-type'];
  throw new HttpError(
    'UNSUPPORTED_MEDIA_TYPE',
    `Content-Type ${contentType === undefined ? 'is missing' : `"${contentType}" is not supported here`}; send ${types.join(' or ')}`,
    { field: 'Content-Type' },
  );
}

/** JSON bodies of any JSON type (objects are checked by each handler), bounded by `limit` bytes. */
export function jsonParser(limit: number): RequestHandler {
  return express.json({ limit, strict: false, type: [...JSON_TYPES] });
}

/** YAML text bodies, read as a string for the engine's YAML loader (which has its own bounds). */
export function yamlParser(limit: number): RequestHandler {
  return express.text({ limit, type: [...YAML_TYPES] });
}
