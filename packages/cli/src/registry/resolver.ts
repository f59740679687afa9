/**
 * The one place where the CLI decides how registries are asked: not at all (`--offline`), from a
 * fixtures file (`--registry-fixtures`), or through the OCI distribution client. Commands receive
 * a RegistryResolver (the engine's contract) and never know which.
 */
import {
  createFixtureResolver,
  endpointHost,
  type RegistryReference,
  type RegistryResolver,
  type Resolution,
} from '@pullguard/engine';
import { loadRegistryFixtures } from './fixtures-file.js';
import type { RegistrySettings } from './flags.js';

/** undefined when no registry may be asked (`--offline`). */
export async function createCliResolver(settings: RegistrySettings): Promise<RegistryResolver | undefined> {
  if (settings.offline) return undefined;
  if (settings.fixtures !== undefined)
    return createFixtureResolver(await loadRegistryFixtures(settings.fixtures));
  return connectRegistry(settings);
}

/**
 * The OCI distribution client, configured from the flags. `@pullguard/registry` implements the
 * resolver over HTTP (credentials, CAs, plain-HTTP hosts, timeouts, the digest cache); this build
 * does not contain it yet, so every lookup fails as `unreachable` and says so — registry rules then
 * follow `onRegistryError`, `fix --pin-digests` and `drift` exit 2 — instead of passing silently.
 * Connecting the client replaces this body with `createRegistryResolver({ … settings })`.
 */
function connectRegistry(_settings: RegistrySettings): RegistryResolver {
  return {
    resolve: (reference: RegistryReference): Promise<Resolution> => {
      const host = endpointHost(reference.registry);
      return Promise.resolve({
        ok: false,
        failure: {
          kind: 'unreachable',
          host,
          message: 'this pullguard build has no registry client (@pullguard/registry)',
          hint: 'pass --offline (registry rules are then not checked) or --registry-fixtures FILE',
        },
      });
    },
  };
}
