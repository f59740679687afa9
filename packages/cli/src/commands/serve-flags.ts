import { cliOptions, FlagError, SERVER_FLAGS, type ServerFlagValues } from '@pullguard/server/flags';
import { InvalidArgumentError, Option } from 'commander';

/**
 * The server's own flags as commander options, generated from the server's flag table (names,
 * help, defaults and environment variables, validation): `pullguard serve` declares none of them
 * itself. The flags every policy command has (`--policy`, `--plugin`, `--namespaces-file`,
 * `--well-known-kinds`, `--rule-timeout`) come from program.ts and are passed on by serve.ts.
 */
export function serverOptions(): Option[] {
  return cliOptions(SERVER_FLAGS).map((spec) => {
    const option = new Option(spec.flags, spec.description);
    const parse = spec.parse;
    if (parse === undefined) return option;
    // Validated while parsing, so a bad value is a usage error (exit 2) naming the flag.
    return option.argParser((text: string, previous: unknown) => {
      try {
        return parse(text, previous);
      } catch (error) {
        if (error instanceof FlagError) throw new InvalidArgumentError(`${error.reason}.`);
        throw error;
      }
    });
  });
}

/** The values of the server's own flags among commander's options (keys are the table's). */
export function givenServerFlags(options: Readonly<Record<string, unknown>>): Partial<ServerFlagValues> {
  const given: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(SERVER_FLAGS)) {
    if (spec.cliShared !== true && options[key] !== undefined) given[key] = options[key];
  }
  return given as Partial<ServerFlagValues>;
}
