// The whole public API of @pullguard/server.
export { type AppConfig, type AppDeps, createApp, DEFAULT_APP_CONFIG, type PullguardApp } from './app.js';
export { loadServerConfig, type NamespaceLabelsConfig, type ServerConfig, serverConfig } from './config.js';
export { SERVER_FLAGS_HELP, type ServerFlagValues } from './flags/server-flags.js';
export { type ApiErrorCode, HTTP_ERROR_CODES, type HttpErrorCode } from './http/error-codes.js';
export type { ErrorBody } from './http/http-error.js';
export { ListenError } from './listen-error.js';
export { createLogger, type Logger, silentLogger } from './logger.js';
export { type LabelSource, NamespaceLabelStore } from './namespaces/label-store.js';
export {
  type NamespaceLabels,
  type NamespaceLabelsOptions,
  namespaceLabels,
  type UnknownLabelsMode,
} from './namespaces/namespace-labels.js';
export { loadOpenApiDocument, OPENAPI_PATH } from './openapi-document.js';
export {
  FilePolicies,
  fixedPolicies,
  type PolicyService,
  type PolicyStatus,
  type ReloadOutcome,
  type ReloadState,
} from './policy-service.js';
export type { StaticSite } from './routes/static-site.js';
export { type RunningServer, type StartServerOptions, startServer } from './server.js';
