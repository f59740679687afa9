import type { RequestHandler } from 'express';
import { type AdmissionContext, admit, type Webhook } from '../admission/admit.js';
import { type AdmissionReviewResponse, parseAdmissionReview } from '../admission/review.js';
import { JSON_TYPES, parsedBody } from '../http/body.js';

/** POST /v1/admission/{validate,mutate}: AdmissionReview in, AdmissionReview (same uid) out. */
export function admissionHandler(webhook: Webhook, ctx: AdmissionContext): RequestHandler {
  return async (req, res) => {
    const request = parseAdmissionReview(parsedBody(req, JSON_TYPES));
    res.locals['uid'] = request.uid;
    const { response, decision } = await admit(webhook, request, ctx);
    res.locals['verdict'] = decision;
    ctx.metrics.recordAdmission(webhook, request.operation, response.allowed, request.dryRun === true);
    const review: AdmissionReviewResponse = {
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response,
    };
    res.json(review);
  };
}
