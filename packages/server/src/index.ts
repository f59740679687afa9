// The whole public API of @pullguard/server.
export { type AppConfig, type AppDeps, createApp, DEFAULT_APP_CONFIG, type PullguardApp } from './app.js';
export { loadServerConfig, SERVER_FLAGS_HELP, type ServerConfig } from './config.js';
export { type ApiErrorCode, HTTP_ERROR_CODES, type HttpErrorCode } from './http/error-codes.js';
export type { ErrorBody } from './http/http-error.js';
export { createLogger, type Logger, silentLogger } from './logger.js';
export { loadOpenApiDocument, OPENAPI_PATH } from './openapi-document.js';
export {
  FilePolicies,
  fixedPolicies,
  type PolicyService,
  type PolicyStatus,
  type ReloadOutcome,
  type ReloadState,
} from './policy-service.js';
export { type RunningServer, type StartServerOptions, startServer } from './server.js';
