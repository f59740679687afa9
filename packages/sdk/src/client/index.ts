// @pullguard/sdk/client: a typed client of the pullguard REST API and admission webhooks.
export {
  type AdmissionReviewRequest,
  type AdmissionReviewResponse,
  type ApiEvaluateOptions,
  type ApiEvaluateRequest,
  type ApiFinding,
  type ApiNamespaceExplanation,
  type ApiReport,
  type CallOptions,
  type ClientOptions,
  createClient,
  type Health,
  type PolicyList,
  type PullguardClient,
  type Readiness,
  type ReloadOk,
} from './client.js';
export { type ApiErrorBody, type ApiErrorCode, PullguardApiError, PullguardNetworkError } from './errors.js';
