import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './http-error.js';

/**
 * Guards admin endpoints with a bearer token. Without a configured token they are disabled
 * (403), never open. Tokens are compared as SHA-256 digests with timingSafeEqual: equal-length
 * inputs, so neither the token's content nor its length leaks through timing.
 */
export function requireAdminToken(token: string | undefined): RequestHandler {
  const expected = token === undefined || token === '' ? undefined : digest(token);
  return (req, _res, next) => {
    if (expected === undefined) {
      throw new HttpError(
        'ADMIN_DISABLED',
        'admin endpoints are disabled: no admin token is configured (set PULLGUARD_ADMIN_TOKEN or --admin-token-file)',
      );
    }
    const header = req.headers.authorization;
    const match = header === undefined ? undefined : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (match === undefined || match === null || !timingSafeEqual(digest(match[1]!), expected)) {
      throw new HttpError('UNAUTHORIZED', 'this endpoint needs "Authorization: Bearer <admin token>"', {
        headers: { 'WWW-Authenticate': 'Bearer realm="pullguard"' },
      });
    }
    next();
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
