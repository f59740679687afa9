// Test support, not public API: a real registry, a token service, a misbehaving proxy and a
// pusher, for this package's tests, the CLI's end-to-end tests and the bench.

export { makeTestCertificates, type TestCertificates } from './certificates.js';
export {
  type AccessLogEntry,
  type LocalRegistry,
  type RegistryAuth,
  realRegistrySkip,
  registryUnavailable,
  startLocalRegistry,
} from './local-registry.js';
export { OCI_INDEX_TYPE, OCI_MANIFEST_TYPE, OciPusher, type PushedManifest, sha256 } from './oci-push.js';
export { freePort, tempDir } from './processes.js';
export {
  type ProxyOptions,
  type ProxyRecord,
  type RegistryProxy,
  startRegistryProxy,
} from './registry-proxy.js';
export { startTokenService, type TokenRequest, type TokenService } from './token-service.js';
