/**
 * A flag table (`@pullguard/server/flags`) as commander options: the server's own flags for
 * `pullguard serve`, and the registry flags for `check`, `fix`, `drift` and `test`. Names, help,
 * defaults, environment variables and validation all come from the table. No engine import:
 * program.ts builds the command line from this before any command is loaded.
 */
import { cliOptions, FlagError, type FlagTable, type FlagValues } from '@pullguard/server/flags';
import { InvalidArgumentError, Option } from 'commander';

/** The table's options (but those the CLI declares itself, `cliShared`), each validating its value. */
export function tableOptions(table: FlagTable): Option[] {
  return cliOptions(table).map((spec) => {
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

/** The values of the table's flags among commander's options (keys are the table's). */
export function givenFlags<T extends FlagTable>(
  table: T,
  options: Readonly<Record<string, unknown>>,
): Partial<FlagValues<T>> {
  const given: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(table)) {
    if (spec.cliShared !== true && options[key] !== undefined) given[key] = options[key];
  }
  return given as Partial<FlagValues<T>>;
}
