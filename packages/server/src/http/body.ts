import type { IncomingMessage } from 'node:http';
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

const RAW_BODY = Symbol('pullguard.rawBody');
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)"?/i;

/**
 * JSON bodies (objects are checked by each handler), bounded by `limit` bytes. JSON is UTF-8
 * (RFC 8259 §8.1): a body declared in another charset is 415 before it is read (body-parser would
 * decode `charset=utf-16` and then fail to parse it, a 400 that blames the body). The raw bytes
 * are kept for locating problems in the text (`rawBodyText`).
 */
export function jsonParser(limit: number): RequestHandler {
  const parse = express.json({
    limit,
    strict: false,
    type: [...JSON_TYPES],
    verify: (req, _res, buffer) => {
      (req as unknown as Record<symbol, Buffer>)[RAW_BODY] = buffer;
    },
  });
  return (req, res, next) => {
    const charset = CHARSET.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && req.is([...JSON_TYPES])) {
      next(
        new HttpError(
          'UNSUPPORTED_MEDIA_TYPE',
          `JSON must be encoded in UTF-8 (RFC 8259 §8.1), but Content-Type says charset=${charset}; send it as application/json or application/json; charset=utf-8`,
          { field: 'Content-Type' },
        ),
      );
      return;
    }
    parse(req, res, next);
  };
}

/** The text of a JSON body `jsonParser` read (undefined for other bodies). */
export function rawBodyText(req: IncomingMessage): string | undefined {
  return (req as unknown as Record<symbol, Buffer | undefined>)[RAW_BODY]?.toString('utf8');
}

/** YAML text bodies, read as a string for the engine's YAML loader (which has its own bounds). */
export function yamlParser(limit: number): RequestHandler {
  return express.text({ limit, type: [...YAML_TYPES] });
}
