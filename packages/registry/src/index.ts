// The whole public API of @pullguard/registry: a RegistryResolver over the OCI distribution API.

export type { Credential, CredentialSource } from './credentials/credential.js';
export {
  type DigestCacheEvent,
  REGISTRY_METRICS,
  type RegistryListener,
  type RegistryRateLimitEvent,
  type RegistryRequestEvent,
} from './events.js';
export { createNodeTransport, type NodeTransportOptions } from './node-transport.js';
export {
  createRegistryClient,
  REGISTRY_DEFAULTS,
  type RegistryClient,
  type RegistryClientOptions,
} from './resolver.js';
export { createResolverFromSettings, type RegistryContext, type RegistrySettings } from './settings.js';
export {
  type Transport,
  TransportError,
  type TransportErrorCode,
  type TransportRequest,
  type TransportResponse,
} from './transport.js';
