/**
 * Flags declared once, as data: each entry of a flag table says its name, value type, environment
 * variable, default, help and how its text is validated, and everything else is generated from
 * the table — the server's argument parsing (`parseFlagArgs`), its environment reading and
 * defaults (`resolveFlags`), its help text (`flagsHelp`) and the options `pullguard serve`
 * registers with commander (`cliOptions`). Adding a flag is adding an entry.
 *
 * No engine import (and nothing heavy): the CLI builds its command line from this module before
 * it loads any command.
 */
import { parseArgs } from 'node:util';

/** A flag whose value (from the command line or the environment) is wrong: which flag, and why. */
export class FlagError extends Error {
  override readonly name = 'FlagError';
  constructor(
    /** `--request-timeout` */
    readonly flag: string,
    /** What is wrong, without the flag's name. */
    readonly reason: string,
  ) {
    super(`${flag}: ${reason}`);
  }
}

interface Common {
  /** Shown in the help text and the CLI's `--help`. */
  readonly help: string;
  /** The environment variable read when the flag is not given. */
  readonly env?: string | undefined;
  /**
   * The CLI declares this flag for every command that reads policies, with the same meaning
   * (`--policy`, `--plugin`, …): `pullguard serve` passes its value instead of registering it again.
   */
  readonly cliShared?: boolean | undefined;
}

/** A flag with a value: `--port 8443`. `parse` validates the text and throws an Error saying why. */
export interface ValueFlag<T, V extends T | undefined = T | undefined> extends Common {
  readonly kind: 'value';
  /** `<duration>` */
  readonly placeholder: string;
  readonly default: V;
  /** How the help shows the default, when not `String(default)`. */
  readonly defaultText?: string | undefined;
  parse(text: string): T;
}

/** A repeatable flag (`--policy a --policy b`); its variable is comma-separated. */
export interface ListFlag extends Common {
  readonly kind: 'list';
  readonly placeholder: string;
  /** Validates (and may normalize) each entry; throws an Error saying why it is wrong. */
  parse?: ((text: string) => string) | undefined;
}

/** An on/off flag: `--name`, or `--no-name` when it is on by default. Its variable: true|false|1|0. */
export interface SwitchFlag extends Common {
  readonly kind: 'switch';
  readonly default: boolean;
}

export type FlagSpec = ValueFlag<unknown> | ListFlag | SwitchFlag;

/** Flags by key; a key is the flag's name in camelCase (`requestTimeout` is `--request-timeout`). */
export type FlagTable = Readonly<Record<string, FlagSpec>>;

/** The value each flag of a table has once flags, environment and defaults are read. */
export type FlagValues<T extends FlagTable> = {
  -readonly [K in keyof T]: T[K] extends ValueFlag<infer _, infer V>
    ? V
    : T[K] extends ListFlag
      ? string[]
      : boolean;
};

/** A value flag with a default (its value is never undefined); its type comes from `parse`. */
export function valueFlag<T>(
  spec: Omit<ValueFlag<T, T>, 'kind' | 'default'> & { default: NoInfer<T> },
): ValueFlag<T, T>;
/** A value flag without a default. */
export function valueFlag<T>(
  spec: Omit<ValueFlag<T, undefined>, 'kind' | 'default'>,
): ValueFlag<T, T | undefined>;
export function valueFlag<T>(spec: Omit<ValueFlag<T>, 'kind' | 'default'> & { default?: T }): ValueFlag<T> {
  return { ...spec, kind: 'value', default: spec.default };
}

export function listFlag(spec: Omit<ListFlag, 'kind'>): ListFlag {
  return { ...spec, kind: 'list' };
}

export function switchFlag(spec: Omit<SwitchFlag, 'kind'>): SwitchFlag {
  return { ...spec, kind: 'switch' };
}

/** `requestTimeout` → `request-timeout`. */
export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `--no-watch` for a switch that is on by default, else `--name`. */
function spelling(key: string, spec: FlagSpec): string {
  return spec.kind === 'switch' && spec.default ? `--no-${flagName(key)}` : `--${flagName(key)}`;
}

/**
 * Calls `spec.parse` (a list's on one entry), turning what it throws into a FlagError naming the
 * flag — and the environment variable, when the text came from it.
 */
function parseValue(
  key: string,
  spec: ValueFlag<unknown> | ListFlag,
  text: string,
  from: 'flag' | 'env' = 'flag',
): unknown {
  try {
    return spec.parse === undefined ? text : spec.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FlagError(`--${flagName(key)}`, from === 'env' ? `${spec.env}: ${reason}` : reason);
  }
}

/**
 * The flags given in `argv` (and nothing else: no positionals), parsed and validated. Throws a
 * FlagError for an unknown flag, a missing value or a value its entry rejects.
 */
export function parseFlagArgs<T extends FlagTable>(
  table: T,
  argv: readonly string[],
): Partial<FlagValues<T>> {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const [key, spec] of Object.entries(table)) {
    const name = flagName(key);
    if (spec.kind === 'switch') {
      options[name] = { type: 'boolean' };
      options[`no-${name}`] = { type: 'boolean' };
    } else {
      options[name] = { type: 'string', ...(spec.kind === 'list' ? { multiple: true } : {}) };
    }
  }
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (error) {
    const message = (error as Error).message;
    const flag = /'(--?[\w-]+)/.exec(message)?.[1] ?? 'arguments';
    throw new FlagError(flag, message);
  }
  const given: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(table)) {
    const name = flagName(key);
    const value = values[name];
    if (spec.kind === 'switch') {
      if (values[`no-${name}`] === true) given[key] = false;
      else if (value === true) given[key] = true;
    } else if (spec.kind === 'list') {
      if (Array.isArray(value) && value.length > 0)
        given[key] = value.map((entry) => parseValue(key, spec, String(entry)));
    } else if (typeof value === 'string') {
      given[key] = parseValue(key, spec, value);
    }
  }
  return given as Partial<FlagValues<T>>;
}

/**
 * Every flag's value: as given (already parsed, e.g. by `parseFlagArgs` or the CLI), else from
 * its environment variable (an empty variable is unset), else its default.
 */
export function resolveFlags<T extends FlagTable>(
  table: T,
  given: Partial<FlagValues<T>>,
  env: Readonly<Record<string, string | undefined>>,
): FlagValues<T> {
  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(table)) {
    const fromFlag = (given as Record<string, unknown>)[key];
    if (fromFlag !== undefined) {
      values[key] = fromFlag;
      continue;
    }
    const text = spec.env === undefined ? undefined : env[spec.env]?.trim();
    if (spec.kind === 'list') {
      values[key] = (text ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .map((entry) => parseValue(key, spec, entry, 'env'));
    } else if (spec.kind === 'switch') {
      values[key] = text === undefined || text === '' ? spec.default : switchValue(key, spec, text);
    } else {
      values[key] = text === undefined || text === '' ? spec.default : parseValue(key, spec, text, 'env');
    }
  }
  return values as FlagValues<T>;
}

/** A switch's variable: a value it cannot read is an error, never a silent default. */
function switchValue(key: string, spec: SwitchFlag, text: string): boolean {
  const lower = text.toLowerCase();
  if (lower === 'true' || lower === '1') return true;
  if (lower === 'false' || lower === '0') return false;
  throw new FlagError(spelling(key, spec), `${spec.env} must be true or false, got "${text}"`);
}

/** Values to write as a command line (`flagArgs`): text for value flags, as a user would type it. */
export type FlagArgValues<T extends FlagTable> = {
  [K in keyof T]?: T[K] extends ListFlag ? readonly string[] : T[K] extends SwitchFlag ? boolean : string;
};

/**
 * The command line that sets `values` (the inverse of `parseFlagArgs`), for programs that write
 * one for the server to run with (`pullguard export deploy`'s Deployment args). Each value is
 * validated by its flag's own parser, so what is written is what the server accepts; a switch at
 * its default and an empty list are left out.
 */
export function flagArgs<T extends FlagTable>(table: T, values: FlagArgValues<T>): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(values) as [string, string | readonly string[] | boolean][]) {
    const spec = table[key];
    if (spec === undefined) throw new FlagError(`--${flagName(key)}`, 'not a flag of this table');
    if (spec.kind === 'switch') {
      if (value !== spec.default) args.push(spelling(key, spec));
    } else if (spec.kind === 'list') {
      for (const item of value as readonly string[]) args.push(`--${flagName(key)}`, item);
    } else {
      parseValue(key, spec, value as string);
      args.push(`--${flagName(key)}`, value as string);
    }
  }
  return args;
}

/** The help text: one aligned line per flag, with its default and environment variable. */
export function flagsHelp(title: string, table: FlagTable): string {
  const rows = Object.entries(table).map(([key, spec]) => {
    const left = spec.kind === 'switch' ? spelling(key, spec) : `${spelling(key, spec)} ${spec.placeholder}`;
    return [left, describe(spec)] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return `${title}\n\n${rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n')}\n`;
}

/** `evaluation deadline (default 10s; env PULLGUARD_REQUEST_TIMEOUT)` */
function describe(spec: FlagSpec): string {
  const notes: string[] = [];
  if (spec.kind === 'list') notes.push('repeatable');
  // A default the caller applies (the flag itself has none) is shown from `defaultText`.
  const shownDefault =
    spec.kind === 'value'
      ? (spec.defaultText ?? (spec.default === undefined ? undefined : String(spec.default)))
      : undefined;
  if (shownDefault !== undefined) notes.push(`default ${shownDefault}`);
  if (spec.env !== undefined) {
    const form = spec.kind === 'list' ? ', comma-separated' : spec.kind === 'switch' ? '=true|false' : '';
    notes.push(`env ${spec.env}${form}`);
  }
  return notes.length === 0 ? spec.help : `${spec.help} (${notes.join('; ')})`;
}

/** One option for a commander-style CLI: `new Option(flags, description).argParser(parse)`. */
export interface CliOptionSpec {
  /** The value's key (commander's attribute name for `flags`). */
  key: string;
  /** `--request-timeout <duration>`, `--policy <path>`, `--no-watch` */
  flags: string;
  description: string;
  /** Parses one occurrence (`previous` is the value so far, for repeatable flags); throws FlagError. */
  parse?: ((text: string, previous: unknown) => unknown) | undefined;
}

/** The table's flags as CLI options, except those the CLI declares itself (`cliShared`). */
export function cliOptions(table: FlagTable): CliOptionSpec[] {
  return Object.entries(table)
    .filter(([, spec]) => spec.cliShared !== true)
    .map(([key, spec]): CliOptionSpec => {
      const description = describe(spec);
      if (spec.kind === 'switch') return { key, flags: spelling(key, spec), description };
      const flags = `${spelling(key, spec)} ${spec.placeholder}`;
      if (spec.kind === 'list') {
        return {
          key,
          flags,
          description,
          parse: (text, previous) => [
            ...(Array.isArray(previous) ? previous : []),
            parseValue(key, spec, text),
          ],
        };
      }
      return { key, flags, description, parse: (text) => parseValue(key, spec, text) };
    });
}
