import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { SchemaCheck } from '@pullguard/engine/internals';
import type { RequestHandler } from 'express';
import { type AdmissionClient, type AdmissionContext, admit, type Webhook } from '../admission/admit.js';
import { type AdmissionReviewResponse, parseAdmissionReview } from '../admission/review.js';
import { JSON_TYPES, parsedBody, rawBodyText } from '../http/body.js';
import { directJsonLength, readJsonBody, sendJson } from '../http/direct-json.js';
import { answerFor } from '../http/error-handler.js';
import { HttpError } from '../http/http-error.js';
import type { RequestRecord } from '../http/request-log.js';

/** What the review routes need besides what admission needs. */
export interface ReviewContext extends AdmissionContext {
  /** The AdmissionReviewRequest schema check (http/request-schemas.ts). */
  checkReview: SchemaCheck;
  /** `--client-ca`: only clients with a certificate it issued (the API server) may send reviews. */
  requireClientCert: boolean;
}

/** What the request line says about a review: set as soon as each is known. */
interface ReviewNote {
  uid?: unknown;
  verdict?: unknown;
}

/** POST /v1/admission/{validate,mutate}: AdmissionReview in, AdmissionReview (same uid) out. */
async function review(
  webhook: Webhook,
  ctx: ReviewContext,
  req: IncomingMessage,
  body: { value: unknown; text: () => string | undefined },
  note: ReviewNote,
): Promise<AdmissionReviewResponse> {
  const client = clientOf(req);
  if (ctx.requireClientCert && !client.authenticated) {
    throw new HttpError(
      'CLIENT_CERT_REQUIRED',
      'admission reviews are accepted only from the API server: connect with a client certificate the configured --client-ca issued',
    );
  }
  const request = parseAdmissionReview(body.value, ctx.checkReview, body.text);
  note.uid = request.uid;
  const { response, decision } = await admit(webhook, request, ctx, client);
  note.verdict = decision;
  ctx.metrics.recordAdmission(webhook, request.operation, response.allowed, request.dryRun === true);
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
}

/** The Express route: bodies `express.json` parsed (the requests `directAdmission` leaves to Express). */
export function admissionHandler(webhook: Webhook, ctx: ReviewContext): RequestHandler {
  return async (req, res) => {
    const value = parsedBody(req, JSON_TYPES);
    res.json(await review(webhook, ctx, req, { value, text: () => rawBodyText(req) }, res.locals));
  };
}

/** A TLS client whose certificate verified against `--client-ca` (Node checks chain and dates). */
function clientOf(req: IncomingMessage): AdmissionClient {
  return { authenticated: (req.socket as Partial<TLSSocket>).authorized === true };
}

/** Answers a request itself (true) or leaves it to Express (false). */
export type DirectHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The same endpoint for the requests the API server sends (a UTF-8 JSON body with a
 * Content-Length within the limit), answered without Express's router, body parser and response
 * helpers: on this path they cost more CPU than the review itself. The answers, errors and the
 * request line are the Express route's (docs/performance-invariants.md#the-direct-admission-path).
 */
export function directAdmission(
  webhook: Webhook,
  ctx: ReviewContext,
  options: { route: string; bodyLimitBytes: number; record: (record: RequestRecord) => void },
): DirectHandler {
  const { route, bodyLimitBytes, record } = options;
  const serve = async (req: IncomingMessage, res: ServerResponse, length: number): Promise<void> => {
    const start = performance.now();
    const note: ReviewNote = {};
    try {
      const { value, text } = await readJsonBody(req, length);
      sendJson(res, 200, await review(webhook, ctx, req, { value, text: () => text }, note));
    } catch (error) {
      const httpError = answerFor(error, ctx.logger, { method: 'POST', path: route });
      if (res.headersSent) res.destroy();
      else sendJson(res, httpError.status, httpError.toBody(), httpError.headers);
    }
    record({
      route,
      method: 'POST',
      status: res.statusCode,
      seconds: (performance.now() - start) / 1e3,
      ...note,
    });
  };
  return (req, res) => {
    const length = directJsonLength(req, bodyLimitBytes);
    if (length === undefined) return false;
    void serve(req, res, length);
    return true;
  };
}
