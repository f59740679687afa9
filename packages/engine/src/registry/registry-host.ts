/**
 * Where a registry domain is served and what to do when it fails: shared by the lookups (which
 * turn a resolver that does not answer into a `timeout` failure) and the fixture resolver.
 */
import type { RegistryFailure, RegistryFailureKind } from '../registry-contract.js';

/** Every kind of failure, in the order the contract lists them. */
export const REGISTRY_FAILURE_KINDS: readonly RegistryFailureKind[] = [
  'not-found',
  'unauthorized',
  'rate-limited',
  'unreachable',
  'timeout',
  'tls',
  'protocol',
];

/**
 * The host serving a normalized registry domain. Docker Hub's references say `docker.io`, but its
 * distribution API is served by `registry-1.docker.io` (`DefaultRegistryHost` / `IndexHostname`
 * in docker/docker registry/config.go); every other domain serves itself.
 */
export function endpointHost(domain: string): string {
  return domain === 'docker.io' ? 'registry-1.docker.io' : domain;
}

/** One sentence saying what to do about a failure of `kind` at `host`. */
export function failureHint(kind: RegistryFailureKind, host: string): string {
  switch (kind) {
    case 'not-found':
      return 'check the tag or digest (e.g. `crane ls` lists the tags); a typo or a deleted tag fails with ErrImagePull';
    case 'unauthorized':
      return `run docker login ${host}, or pass --registry-auth FILE`;
    case 'rate-limited':
      return `the registry limits requests: wait, or log in to ${host} for a higher limit`;
    case 'timeout':
      return `${host} did not answer in time: check the network, or raise --registry-timeout`;
    case 'unreachable':
      return `check the host name and the network; for a registry without TLS pass --plain-http ${host}`;
    case 'tls':
      return `pass --registry-ca FILE with the CA that signed ${host}'s certificate`;
    case 'protocol':
      return `${host} answered something that is not the OCI distribution API`;
  }
}

export function registryFailure(
  kind: RegistryFailureKind,
  host: string,
  message: string,
  status?: number,
): RegistryFailure {
  return { kind, host, message, hint: failureHint(kind, host), status };
}
