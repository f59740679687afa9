/**
 * The js-yaml parser state the manifest loader reads, and the start-up check that it is there.
 *
 * yaml-parse.ts's listener reads js-yaml's internal `State` as each node opens and closes:
 * `depth` (to find keys' values and to bound nesting) and `position`, `kind`, `result`, `anchor`.
 * `depth` and the `maxDepth` option exist only in the version pinned in package.json; with js-yaml
 * 4.1.0 every location would come out as 1:1 and a deeply nested document would overflow the
 * stack. A different js-yaml can end up installed (an overridden resolution, a hoisted copy in an
 * application that embeds the engine), so the state is checked when the engine loads, and a
 * mismatch stops it with the version found and the one needed instead of wrong answers.
 */
import { type LoadOptions, load } from 'js-yaml';
import { PullguardError } from '../errors.js';
import { installedJsYamlVersion } from './js-yaml-version.js';

/** The js-yaml version the loader is written against: package.json pins exactly this one. */
export const JS_YAML_VERSION = '4.3.2';

/** The parser state fields the listener reads; @types/js-yaml declares only some of them. */
export interface ListenerState {
  position: number;
  depth: number;
  kind: string | null;
  result: unknown;
  anchor: string | null;
}

type Load = (text: string, options: LoadOptions) => unknown;

/**
 * Parses a small document with a listener and throws (INTERNAL) unless the state and options the
 * loader relies on behave as in js-yaml {@link JS_YAML_VERSION}.
 */
export function assertParserState(
  parse: Load = load,
  foundVersion: () => string = installedJsYamlVersion,
): void {
  const opened: unknown[] = [];
  let scalar: Partial<ListenerState> | undefined;
  const listener = (event: 'open' | 'close', state: unknown) => {
    const s = state as Partial<ListenerState>;
    if (event === 'open') opened.push(s.depth);
    else if (s.kind === 'scalar' && s.result === 'b') scalar = { ...s };
  };
  parse('a: [b]', { listener } as LoadOptions);
  const problems: string[] = [];
  // Root mapping, key `a`, the sequence, its item: depths 1, 2, 2, 3.
  if (opened.join() !== '1,2,2,3') problems.push('`depth` is not tracked');
  if (typeof scalar?.position !== 'number' || scalar.anchor !== null)
    problems.push('`position`/`anchor` are missing');
  if (!refusesDeeperThan(parse, 2)) problems.push('the `maxDepth` option is ignored');
  if (problems.length > 0) {
    throw new PullguardError(
      'INTERNAL',
      `pullguard's manifest loader needs js-yaml ${JS_YAML_VERSION}, whose parser state it reads, but js-yaml ${foundVersion()} is installed (${problems.join('; ')}): install js-yaml@${JS_YAML_VERSION}`,
    );
  }
}

function refusesDeeperThan(parse: Load, maxDepth: number): boolean {
  try {
    parse('[[[[x]]]]', { maxDepth } as LoadOptions);
    return false;
  } catch {
    return true;
  }
}
