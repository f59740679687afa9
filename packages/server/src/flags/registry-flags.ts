/**
 * How registries are asked, as flag table entries: the server's table holds them, and the CLI's
 * `check`, `fix`, `drift` and `test` register the same entries (`pullguard serve` gets them
 * through the server's table). Each key is a field of `RegistrySettings` (`@pullguard/registry`),
 * so the values `resolveFlags` reads — flags, then environment variables, then defaults — are the
 * settings the client is built from, with no translation in between.
 *
 * Durations are `units.ts`'s; plain-HTTP entries are judged with the client's own grammar while
 * the command line (or the variable) is read.
 */
import { hostPort } from '@pullguard/registry/host-port';
import { listFlag, switchFlag, valueFlag } from './flag-spec.js';
import { duration, text } from './units.js';

/**
 * The registry flags. Their defaults are the client's (`REGISTRY_DEFAULTS`), which the flags leave
 * undefined; `timeoutDefault` says in the help what the caller uses when the flag is not given
 * (the CLI 5 s, the admission server its own budget).
 */
export function registryFlags(timeoutDefault: string) {
  return {
    registryAuth: valueFlag({
      placeholder: '<file>',
      env: 'PULLGUARD_REGISTRY_AUTH',
      help: 'registry credentials: a Docker config.json or a kubernetes.io/dockerconfigjson Secret (YAML or JSON), read before $DOCKER_CONFIG/config.json or ~/.docker/config.json',
      parse: text,
    }),
    registryCa: valueFlag({
      placeholder: '<file>',
      env: 'PULLGUARD_REGISTRY_CA',
      help: 'PEM CA bundle to trust for registries, besides the default CAs',
      parse: text,
    }),
    plainHttp: listFlag({
      placeholder: '<host[:port]>',
      env: 'PULLGUARD_PLAIN_HTTP',
      help: 'talk plain HTTP (no TLS) to this registry',
      parse: hostPort,
    }),
    registryTimeout: valueFlag({
      placeholder: '<duration>',
      env: 'PULLGUARD_REGISTRY_TIMEOUT',
      defaultText: timeoutDefault,
      help: 'how long one registry lookup may take (token, HEAD, retries)',
      parse: duration,
    }),
    digestTtl: valueFlag({
      placeholder: '<duration>',
      env: 'PULLGUARD_DIGEST_TTL',
      defaultText: '5m',
      help: "how long a tag's digest is reused before the registry is asked again",
      parse: duration,
    }),
    offline: switchFlag({
      default: false,
      env: 'PULLGUARD_OFFLINE',
      help: 'ask no registry: registry rules report "not checked" warnings',
    }),
  };
}

/** The table's type, for declarations that hold it. */
export type RegistryFlagTable = ReturnType<typeof registryFlags>;
