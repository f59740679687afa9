/**
 * The one place where the CLI decides how registries are asked: not at all (`--offline`), from a
 * fixtures file (`--registry-fixtures`), or through the OCI distribution client
 * (`@pullguard/registry`). Commands receive a RegistryResolver (the engine's contract) and never
 * know which.
 */
import { createFixtureResolver, PullguardError, type RegistryResolver } from '@pullguard/engine';
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
 * undefined when no registry may be asked (`--offline`). The client reads its files (credentials,
 * CA bundle) at once: a bad one fails the command before anything is evaluated. Its module is
 * loaded only here, so commands that ask no registry do not pay for it.
 */
export async function createCliResolver(
  settings: CliRegistrySettings,
): Promise<RegistryResolver | undefined> {
  if (settings.offline) return undefined;
  if (settings.registryFixtures !== undefined)
    return createFixtureResolver(await loadRegistryFixtures(settings.registryFixtures));
  const { createResolverFromSettings } = await import('@pullguard/registry');
  return createResolverFromSettings(settings);
}
