// @pullguard/sdk/client: a typed client of the pullguard REST API and admission webhooks.
export {
  type AdmissionReviewRequest,
  type AdmissionReviewResponse,
  type CallOptions,
  type ClientOptions,
  createClient,
  type EvaluateOptions,
  type EvaluateRequest,
  type Finding,
  type Health,
  type NamespaceExplanation,
  type PolicyList,
  type PullguardClient,
  type Readiness,
  type ReloadOk,
  type Report,
} from './client.js';
export { type ApiErrorBody, type ApiErrorCode, PullguardApiError, PullguardNetworkError } from './errors.js';
