import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonSyntaxError } from './error-handler.js';
import { HttpError } from './http-error.js';

// `application/json`, alone or with `charset=utf-8` (any case, optionally quoted): what the API
// server and every HTTP client send. RFC 9110 §8.3.1: type, subtype and parameter names are
// case-insensitive; so is the charset value.
const JSON_UTF8 = /^application\/json[ \t]*(?:;[ \t]*charset="?utf-8"?[ \t]*)?$/i;

/**
 * The length of a body `readJsonBody` reads: a JSON body in UTF-8, not compressed, with a
 * Content-Length from 1 to `limit`. For anything else (no body, chunked, another type or
 * charset, Content-Encoding, over the limit) undefined: Express's parsers answer those,
 * including every 400/413/415.
 */
export function directJsonLength(req: IncomingMessage, limit: number): number | undefined {
  const headers = req.headers;
  if (headers['content-encoding'] !== undefined || headers['transfer-encoding'] !== undefined)
    return undefined;
  const type = headers['content-type'];
  if (type === undefined || !JSON_UTF8.test(type)) return undefined;
  // Node's HTTP parser has checked that Content-Length is one non-negative decimal.
  const length = Number(headers['content-length']);
  return length > 0 && length <= limit ? length : undefined;
}

/**
 * Reads and parses a body `directJsonLength` accepted, as `express.json({ strict: false })` does
 * (a UTF-8 byte order mark is dropped, as its decoder does) and with the same errors: JSON_SYNTAX
 * with the line and column, INVALID_REQUEST when the client goes away mid-body.
 */
export function readJsonBody(
  req: IncomingMessage,
  length: number,
): Promise<{ value: unknown; text: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
    };
    const onEnd = () => {
      cleanup();
      if (received !== length) {
        reject(unreadable('request size did not match content length'));
        return;
      }
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
      let text = bytes.toString('utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      try {
        resolve({ value: JSON.parse(text), text });
      } catch (error) {
        reject(jsonSyntaxError(text, (error as Error).message));
      }
    };
    const onAborted = () => {
      cleanup();
      reject(unreadable('request aborted'));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAborted);
      req.off('close', onAborted);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAborted);
    req.on('close', onAborted);
  });
}

function unreadable(why: string): HttpError {
  return new HttpError('INVALID_REQUEST', `the body could not be read: ${why}`);
}

/** What Express's `res.status(status).set(headers).json(value)` sends for a POST, without Express. */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(value);
  res.statusCode = status;
  for (const name in headers) res.setHeader(name, headers[name]!);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
