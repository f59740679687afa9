/**
 * User-written regular expressions (allowed-tags `pattern`), matched by a linear-time engine with
 * RE2 semantics: @bufbuild/re2, a pure-JavaScript port of RE2 (no native code, so it also runs in
 * a browser) and the engine @bufbuild/cel uses for CEL `matches()`, which is what a
 * ValidatingAdmissionPolicy evaluates. A pattern runs on every image of every admission request,
 * and JavaScript's RegExp backtracks: `(a+)+b`-style patterns take exponential time, and no
 * heuristic check of the source keeps up with that (issue 11). An RE2 program is a finite
 * automaton: matching costs O(text × program), and the text here is a tag (at most 128
 * characters, OCI distribution-spec).
 *
 * RE2 syntax has no backreferences and no lookarounds; anything it cannot express is rejected
 * when the policy loads, with the offset in the pattern.
 *
 * Anchoring: a pattern matches the whole text, exactly as `^(?:pattern)$` would (RE2 `testExact`).
 * The pattern must therefore be complete on its own: balanced, and no `\Q` quote left open (it
 * would swallow the closing `)$`), so that the anchored form means the same in CEL.
 */
import { RE2JS, RE2JSSyntaxException } from '@bufbuild/re2';
import { LruMap } from '../lru-map.js';

export const PATTERN_MAX_LENGTH = 256;

/** Tags a compiled pattern remembers its answer for (distinct tags in use are few): docs/performance-invariants.md#bounded-memos. */
const MEMO_SIZE = 256;

export interface FullMatchPattern {
  readonly source: string;
  /** Does the whole `text` match? Memoized per text: the answer depends only on the text. */
  matches(text: string): boolean;
}

export type FullMatchResult =
  | { readonly ok: true; readonly pattern: FullMatchPattern }
  | { readonly ok: false; readonly message: string };

/** Compiles `source` for whole-text matching; never throws. */
export function compileFullMatch(source: string): FullMatchResult {
  if (source.length === 0) return { ok: false, message: 'the pattern is empty' };
  if (source.length > PATTERN_MAX_LENGTH) {
    return {
      ok: false,
      message: `the pattern is ${source.length} characters long; at most ${PATTERN_MAX_LENGTH} are allowed`,
    };
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch (error) {
    return { ok: false, message: describeRe2Error(source, re2Error(error)) };
  }
  if (quoteLeftOpen(source)) {
    return {
      ok: false,
      message: 'an unterminated \\Q…\\E quote: end it with \\E (the pattern is matched as ^(?:pattern)$)',
    };
  }
  const memo = new LruMap<string, boolean>(MEMO_SIZE);
  return {
    ok: true,
    pattern: {
      source,
      matches(text) {
        let answer = memo.get(text);
        if (answer === undefined) {
          answer = re.testExact(text);
          memo.set(text, answer);
        }
        return answer;
      },
    },
  };
}

/** An RE2 syntax error. */
interface Re2Error {
  /** The whole message, as RE2 gives it: equal messages are the same error. */
  message: string;
  /** `invalid escape sequence`, `missing closing ]`, … */
  kind: string;
  /** The text of the pattern the error is about ('' when RE2 names none). */
  fragment: string;
}

function re2Error(error: unknown): Re2Error {
  if (error instanceof RE2JSSyntaxException) {
    return { message: error.message, kind: error.error, fragment: error.input ?? '' };
  }
  // Anything else (an internal error of the engine) is reported as it is, without a position.
  const message = error instanceof Error ? error.message : String(error);
  return { message, kind: message, fragment: '' };
}

function attempt(source: string): Re2Error | undefined {
  try {
    RE2JS.compile(source);
    return undefined;
  } catch (error) {
    return re2Error(error);
  }
}

/**
 * Appended to a prefix of a pattern, this ends it in a syntax error the parser reports at once, so
 * that checking a prefix never builds a program: outside a `\Q` quote `\E` is an invalid escape,
 * inside one the first `\E` closes it and the second is invalid. When the error being located is
 * a stray `\E` itself, one `)` more than there are `(` does instead.
 */
function poison(prefix: string, fragment: string): string {
  if (fragment !== '\\E') return '\\E\\E';
  let opens = 1;
  for (let i = 0; i < prefix.length; i++) if (prefix.charCodeAt(i) === 0x28 /* ( */) opens++;
  return ')'.repeat(opens);
}

/**
 * Where RE2 found the error. RE2 parses left to right and stops at the first error, so the
 * shortest prefix of the pattern that already fails the same way, with a poisoned end, is found
 * by binary search: the error ends there and its fragment precedes that point. A fragment that
 * runs to the end of the pattern (an open class, an unsupported group) starts where it does; an
 * unmatched `)` is the last character of the shortest prefix that has one; a missing `)` is
 * missing at the end.
 */
function errorOffset(source: string, error: Re2Error): number | undefined {
  const { kind, fragment } = error;
  if (kind === MISSING_PAREN) return source.length;
  if (kind === UNEXPECTED_PAREN) {
    const end = firstFailingPrefix(source, (prefix) => attempt(prefix + poison(prefix, ''))?.kind === kind);
    return end === undefined ? undefined : end - 1;
  }
  if (fragment === source) return 0;
  const end = firstFailingPrefix(
    source,
    (prefix) => attempt(prefix + poison(prefix, fragment))?.message === error.message,
  );
  if (end !== undefined && source.startsWith(fragment, end - fragment.length)) return end - fragment.length;
  if (fragment !== '' && source.endsWith(fragment)) return source.length - fragment.length;
  return undefined;
}

/** The shortest prefix length for which `fails` holds, if any (`fails` is monotone in the length). */
function firstFailingPrefix(source: string, fails: (prefix: string) => boolean): number | undefined {
  if (!fails(source)) return undefined;
  let low = 0;
  let high = source.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (fails(source.slice(0, middle))) high = middle;
    else low = middle + 1;
  }
  return high;
}

/**
 * A valid pattern ends inside `\Q…` exactly when `\E)` after it closes the quote and leaves the
 * `)` unmatched; otherwise `\E` is an invalid escape. Either way the parser fails at once.
 */
function quoteLeftOpen(source: string): boolean {
  return attempt(`${source}\\E)`)?.kind === UNEXPECTED_PAREN;
}

const MISSING_PAREN = 'missing closing )';
const UNEXPECTED_PAREN = 'unexpected )';
const LOOKAROUND = /^\(\?<?[=!]/;
const BACKREFERENCE = /^\\(?:[1-9]|k)/;

function describeRe2Error(source: string, error: Re2Error): string {
  const offset = errorOffset(source, error);
  const at = offset === undefined ? '' : ` at offset ${offset}`;
  const rest = offset === undefined ? error.fragment : source.slice(offset);
  const lookaround = LOOKAROUND.exec(rest);
  if (lookaround) return `lookaround \`${lookaround[0]}\`${at}: RE2 has no lookarounds`;
  if (error.kind === 'invalid escape sequence' && BACKREFERENCE.test(error.fragment)) {
    return `backreference \`${error.fragment}\`${at}: RE2 has no backreferences`;
  }
  // RE2 quotes the whole pattern for parentheses: nothing worth repeating.
  const paren = error.kind === MISSING_PAREN || error.kind === UNEXPECTED_PAREN;
  const shown = error.fragment === '' || paren ? '' : ` \`${error.fragment}\``;
  return `${error.kind}${shown}${at}`;
}
