import type { RequestHandler } from 'express';
import { type AdmissionContext, admit, type Webhook } from '../admission/admit.js';
import { type AdmissionReviewResponse, parseAdmissionReview } from '../admission/review.js';

/** POST /v1/admission/{validate,mutate}: AdmissionReview in, AdmissionReview (same uid) out. */
export function admissionHandler(webhook: Webhook, ctx: AdmissionContext): RequestHandler {
  return async (req, res) => {
    const request = parseAdmissionReview(req.body);
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
