import type { RegistryFailure, RegistryFailureKind } from '@pullguard/engine';
import type { TransportError } from './transport.js';

/**
 * A failed lookup on its way up the client, turned into the contract's `RegistryFailure` at the
 * resolver's edge. Messages are made here from what the client knows (host, status, codes) and
 * never from a request's headers, so no credential can end up in one.
 */
export class LookupFailure extends Error {
  override readonly name = 'LookupFailure';
  constructor(readonly failure: RegistryFailure) {
    super(failure.message);
  }
}

/** The failures a stale cached answer may stand in for: the registry is down or slow, not saying no. */
export const TRANSIENT_KINDS: ReadonlySet<RegistryFailureKind> = new Set([
  'unreachable',
  'timeout',
  'rate-limited',
]);

export function failure(
  kind: RegistryFailureKind,
  host: string,
  message: string,
  hint: string,
  status?: number,
): LookupFailure {
  return new LookupFailure({ kind, host, message, hint, ...(status === undefined ? {} : { status }) });
}

/** `docker login` names Docker Hub by no host at all. */
export function loginHint(registry: string): string {
  const login = registry === 'docker.io' ? 'docker login' : `docker login ${registry}`;
  return `run ${login} (or pass --registry-auth FILE with credentials for ${registry})`;
}

/** A transport error after retries, as a failure kind with what to do about it. */
export function transportFailure(error: TransportError, host: string, timeoutMs: number): LookupFailure {
  switch (error.code) {
    case 'aborted':
    case 'connect-timeout':
      return failure(
        'timeout',
        host,
        `${host} did not answer in time (${error.message})`,
        `check that ${host} is reachable, or raise --registry-timeout (now ${timeoutMs} ms)`,
      );
    case 'tls':
      return failure(
        'tls',
        host,
        `TLS with ${host} failed: ${error.message}`,
        `pass --registry-ca FILE with the CA certificate that signed ${host}'s certificate`,
      );
    case 'plaintext':
      return failure(
        'tls',
        host,
        `${host} answered the TLS handshake with plain HTTP`,
        `pass --plain-http ${host} if this registry serves plain HTTP on purpose`,
      );
    case 'protocol':
    case 'too-large':
      return failure(
        'protocol',
        host,
        `${host} sent a malformed response: ${error.message}`,
        protocolHint(host),
      );
    default:
      return failure(
        'unreachable',
        host,
        `cannot reach ${host}: ${error.message}`,
        `check the registry host and port and the network; for a registry without TLS pass --plain-http ${host}`,
      );
  }
}

export function protocolHint(host: string): string {
  return `${host} does not answer as an OCI distribution registry; check the host, or report it to the registry's operators`;
}
