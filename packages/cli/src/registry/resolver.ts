/**
 * The one place where the CLI decides how registries are asked: not at all (`--offline`), from a
 * fixtures file (`--registry-fixtures`), or through the OCI distribution client
 * (`@pullguard/registry`). Commands receive a RegistryResolver (the engine's contract) and never
 * know which.
 */
import { createFixtureResolver, PullguardError, type RegistryResolver } from '@pullguard/engine';
import { endpointHost } from '@pullguard/engine/internals';
import { FlagError } from '@pullguard/server/flags';
import { loadRegistryFixtures } from './fixtures-file.js';
import { type CliRegistrySettings, type RegistryFlags, registrySettings } from './flags.js';

/** The registry settings of a command; a variable that holds a bad value is CONFIG_INVALID naming it. */
export function readRegistrySettings(
  flags: RegistryFlags,
  env: Readonly<Record<string, string | undefined>> = process.env,
): CliRegistrySettings {
  try {
    return registrySettings(flags, env);
  } catch (error) {
    if (!(error instanceof FlagError)) throw error;
    // `PULLGUARD_PLAIN_HTTP: "x" is not HOST or HOST:PORT … (at --plain-http)`
    throw new PullguardError('CONFIG_INVALID', error.reason, { field: error.flag });
  }
}

/**
 * undefined when no registry may be asked (`--offline`). Files the user names (`--registry-auth`,
 * `--registry-ca`) are read at once: a bad one fails the command before anything is evaluated.
 * Otherwise the client is built at the first lookup (connectOnFirstLookup).
 */
export async function createCliResolver(
  settings: CliRegistrySettings,
): Promise<RegistryResolver | undefined> {
  if (settings.offline) return undefined;
  if (settings.registryFixtures !== undefined)
    return createFixtureResolver(await loadRegistryFixtures(settings.registryFixtures));
  if (settings.registryAuth !== undefined || settings.registryCa !== undefined) return connect(settings);
  return connectOnFirstLookup(() => connect(settings));
}

async function connect(settings: CliRegistrySettings): Promise<RegistryResolver> {
  const { createResolverFromSettings } = await import('@pullguard/registry');
  // Never undefined here: that is `offline`, handled above.
  return createResolverFromSettings(settings) as RegistryResolver;
}

/**
 * The client, loaded and built when first asked. Most runs of `check` and `test` have no registry
 * rule, and the client with Node's TLS stack costs a run ~30 ms of CPU (measured: 0.41 against
 * 0.38 s for a one-file check), a tenth of checking a repository. What building it can then still
 * fail on is Docker's own config file (malformed JSON): each lookup answers that as a failure
 * naming it, which registry rules judge like any registry error — never a pass.
 */
function connectOnFirstLookup(build: () => Promise<RegistryResolver>): RegistryResolver {
  let client: Promise<RegistryResolver | Error> | undefined;
  return {
    async resolve(reference, options) {
      client ??= build().catch((error: unknown) =>
        error instanceof Error ? error : new Error(String(error)),
      );
      const built = await client;
      if (!(built instanceof Error)) return built.resolve(reference, options);
      return {
        ok: false,
        failure: {
          kind: 'unauthorized',
          host: endpointHost(reference.registry),
          message: `the registry credentials cannot be read: ${built.message}`,
          hint: 'fix the file the message names, or pass --registry-auth FILE',
        },
      };
    },
  };
}
