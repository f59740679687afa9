import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cliOptions,
  FlagError,
  flagArgs,
  flagName,
  flagsHelp,
  listFlag,
  parseFlagArgs,
  resolveFlags,
  switchFlag,
  valueFlag,
} from './flag-spec.js';
import { SERVER_FLAGS, SERVER_FLAGS_HELP } from './server-flags.js';
import { integer, oneOf } from './units.js';

const TABLE = {
  policy: listFlag({ placeholder: '<path>', env: 'X_POLICIES', help: 'policies', cliShared: true }),
  requestTimeout: valueFlag({
    placeholder: '<n>',
    env: 'X_TIMEOUT',
    default: 10,
    help: 'a timeout',
    parse: integer(1, 100),
  }),
  mode: valueFlag({ placeholder: '<mode>', help: 'a mode', parse: oneOf(['a', 'b'] as const) }),
  watch: switchFlag({ default: true, env: 'X_WATCH', help: 'do not watch' }),
  verbose: switchFlag({ default: false, help: 'say more' }),
};

describe('a flag table', () => {
  it('parses the command line: values validated, lists repeated, switches both ways', () => {
    expect(
      parseFlagArgs(TABLE, [
        '--policy',
        'a',
        '--policy',
        'b',
        '--request-timeout',
        '42',
        '--no-watch',
        '--verbose',
      ]),
    ).toEqual({ policy: ['a', 'b'], requestTimeout: 42, watch: false, verbose: true });
    expect(parseFlagArgs(TABLE, [])).toEqual({});
  });

  it('names the flag in every error', () => {
    const error = (argv: string[]) => {
      try {
        parseFlagArgs(TABLE, argv);
      } catch (e) {
        return e as FlagError;
      }
      throw new Error('no error');
    };
    expect(error(['--request-timeout', '500'])).toMatchObject({
      flag: '--request-timeout',
      reason: 'expected an integer from 1 to 100, got "500"',
    });
    expect(error(['--mode', 'c']).flag).toBe('--mode');
    expect(error(['--colour']).flag).toBe('--colour');
    expect(error(['--request-timeout']).flag).toBe('--request-timeout');
  });

  it('fills what was not given from the environment, then the defaults; flags win', () => {
    expect(resolveFlags(TABLE, {}, {})).toEqual({
      policy: [],
      requestTimeout: 10,
      mode: undefined,
      watch: true,
      verbose: false,
    });
    const env = { X_POLICIES: 'a, b,', X_TIMEOUT: '7', X_WATCH: 'false' };
    expect(resolveFlags(TABLE, {}, env)).toMatchObject({
      policy: ['a', 'b'],
      requestTimeout: 7,
      watch: false,
    });
    expect(resolveFlags(TABLE, { requestTimeout: 9, watch: true }, env)).toMatchObject({
      requestTimeout: 9,
      watch: true,
    });
    expect(() => resolveFlags(TABLE, {}, { X_WATCH: 'yes' })).toThrow(
      new FlagError('--no-watch', 'X_WATCH must be true or false, got "yes"'),
    );
    expect(() => resolveFlags(TABLE, {}, { X_TIMEOUT: '0' })).toThrow(FlagError);
  });

  it('validates each entry of a list, from the command line and from its variable, naming both', () => {
    const hosts = {
      host: listFlag({
        placeholder: '<host>',
        env: 'X_HOSTS',
        help: 'hosts',
        parse: (text) => {
          if (text.includes('/')) throw new Error(`"${text}" is not a host`);
          return text.toLowerCase();
        },
      }),
    };
    expect(parseFlagArgs(hosts, ['--host', 'A.lan', '--host', 'b.lan'])).toEqual({
      host: ['a.lan', 'b.lan'],
    });
    expect(() => parseFlagArgs(hosts, ['--host', 'a/b'])).toThrow(
      new FlagError('--host', '"a/b" is not a host'),
    );
    expect(resolveFlags(hosts, {}, { X_HOSTS: 'A.lan, c.lan' })).toEqual({ host: ['a.lan', 'c.lan'] });
    expect(() => resolveFlags(hosts, {}, { X_HOSTS: 'a.lan,x/y' })).toThrow(
      new FlagError('--host', 'X_HOSTS: "x/y" is not a host'),
    );
    const [option] = cliOptions(hosts);
    expect(option!.parse!('B.lan', ['a.lan'])).toEqual(['a.lan', 'b.lan']);
    expect(() => option!.parse!('a/b', [])).toThrow(FlagError);
  });

  it('prints one aligned help line per flag, with its default and environment variable', () => {
    expect(flagsHelp('tool', TABLE)).toBe(
      [
        'tool',
        '',
        '  --policy <path>        policies (repeatable; env X_POLICIES, comma-separated)',
        '  --request-timeout <n>  a timeout (default 10; env X_TIMEOUT)',
        '  --mode <mode>          a mode',
        '  --no-watch             do not watch (env X_WATCH=true|false)',
        '  --verbose              say more',
        '',
      ].join('\n'),
    );
  });

  it('gives a CLI the options it does not declare itself, each validating its value', () => {
    const options = cliOptions(TABLE);
    expect(options.map((o) => [o.key, o.flags])).toEqual([
      ['requestTimeout', '--request-timeout <n>'],
      ['mode', '--mode <mode>'],
      ['watch', '--no-watch'],
      ['verbose', '--verbose'],
    ]);
    expect(options[0]!.parse!('5', undefined)).toBe(5);
    expect(() => options[0]!.parse!('x', undefined)).toThrow(FlagError);
  });
});

describe('a command line written from a flag table (flagArgs)', () => {
  it('is what parseFlagArgs reads back: lists repeated, switches only off their default', () => {
    const args = flagArgs(TABLE, {
      policy: ['a', 'b'],
      requestTimeout: '42',
      mode: 'b',
      watch: false,
      verbose: false,
    });
    expect(args.join(' ')).toBe('--policy a --policy b --request-timeout 42 --mode b --no-watch');
    expect(parseFlagArgs(TABLE, args)).toEqual({
      policy: ['a', 'b'],
      requestTimeout: 42,
      mode: 'b',
      watch: false,
    });
    expect(flagArgs(TABLE, { watch: true, verbose: true })).toEqual(['--verbose']);
  });

  it('refuses a value its flag would refuse, naming the flag', () => {
    expect(() => flagArgs(TABLE, { requestTimeout: '500' })).toThrow(
      new FlagError('--request-timeout', 'expected an integer from 1 to 100, got "500"'),
    );
    expect(() => flagArgs(TABLE, { mode: 'c' })).toThrow(FlagError);
    expect(() => flagArgs(TABLE, { colour: 'red' } as never)).toThrow(
      new FlagError('--colour', 'not a flag of this table'),
    );
  });
});

describe("the server's flags", () => {
  it('are keyed by their names in camelCase (what commander calls their values)', () => {
    for (const key of Object.keys(SERVER_FLAGS)) {
      expect(flagName(key).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())).toBe(key);
    }
  });

  it('are all in the help text and in docs/server.md, with their environment variables', () => {
    const docs = readFileSync(new URL('../../../../docs/server.md', import.meta.url), 'utf8');
    for (const [key, spec] of Object.entries(SERVER_FLAGS)) {
      const flag = spec.kind === 'switch' && spec.default ? `--no-${flagName(key)}` : `--${flagName(key)}`;
      expect(SERVER_FLAGS_HELP).toContain(flag);
      expect(docs, `docs/server.md documents ${flag}`).toContain(`\`${flag}`);
      if (spec.env) expect(docs, `docs/server.md documents ${spec.env}`).toContain(spec.env);
    }
  });
});
