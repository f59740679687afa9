// `@pullguard/server/flags`: the server's flags as data, for programs that build a command line
// around the server (the CLI's `pullguard serve`) without loading the server itself.
export {
  type CliOptionSpec,
  cliOptions,
  type FlagArgValues,
  FlagError,
  type FlagTable,
  type FlagValues,
  flagArgs,
  parseFlagArgs,
  resolveFlags,
} from './flag-spec.js';
export { type RegistryFlagTable, registryFlags } from './registry-flags.js';
export { SERVER_FLAGS, SERVER_FLAGS_HELP, type ServerFlagValues } from './server-flags.js';
