/**
 * The registry flags of `check`, `fix`, `drift` and `test`: the entries of the server's flag table
 * (`registryFlags`, which `pullguard serve` and `pullguard-server` read too), so each flag, its
 * environment variable, its duration syntax and its help are defined once. Only
 * `--registry-fixtures` is the CLI's own. No engine import: program.ts loads this before any command.
 */
import type { RegistrySettings } from '@pullguard/registry';
import {
  type FlagValues,
  type RegistryFlagTable,
  registryFlags,
  resolveFlags,
} from '@pullguard/server/flags';
import { type Command, Option } from 'commander';
import { givenFlags, tableOptions } from '../config/table-options.js';

/** The CLI's default lookup budget is the client's (5 s); the admission server has its own. */
export const REGISTRY_FLAGS: RegistryFlagTable = registryFlags('5s');

/** The flags as commander parses them (durations already in ms). */
export type RegistryFlags = Partial<FlagValues<typeof REGISTRY_FLAGS>> & {
  registryFixtures?: string | undefined;
};

/** What commands build a resolver from: plain data (worker threads receive a copy). */
export interface CliRegistrySettings extends RegistrySettings {
  /** `--registry-fixtures`: answer lookups from this file instead of registries. */
  readonly registryFixtures: string | undefined;
}

/** Adds the registry flags to `command`. */
export function registryOptions(command: Command): Command {
  for (const option of tableOptions(REGISTRY_FLAGS)) command.addOption(option);
  return command.addOption(
    new Option(
      '--registry-fixtures <file>',
      'answer registry lookups from a fixtures file instead of registries (docs/registry.md#fixtures)',
    ).conflicts('offline'),
  );
}

/**
 * The flags, completed from their environment variables (`PULLGUARD_PLAIN_HTTP`, …) and defaults.
 * Throws FlagError naming the flag when a variable holds a value it does not take.
 */
export function registrySettings(
  flags: RegistryFlags,
  env: Readonly<Record<string, string | undefined>> = process.env,
): CliRegistrySettings {
  return {
    ...resolveFlags(REGISTRY_FLAGS, givenFlags(REGISTRY_FLAGS, flags), env),
    registryFixtures: flags.registryFixtures,
  };
}
