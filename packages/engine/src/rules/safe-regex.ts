/**
 * A load-time check that a tag pattern cannot backtrack catastrophically (ReDoS). JavaScript's
 * RegExp is a backtracking engine, and a policy author's pattern runs on every image in every
 * admission request, so patterns are restricted to a shape whose matching time stays polynomial
 * of low degree in the (at most 128-character, OCI distribution-spec) tag:
 *
 * - no backreferences (`\1`, `\k<name>`) and no lookarounds (`(?=`, `(?!`, `(?<=`, `(?<!`);
 * - star height 1: a group repeated more than 3 times (`*`, `+`, `{n,}`, `{n,20}`) may not contain a
 *   variable-length repetition (`(a+)+`, `([0-9]{1,3})*`) or an alternation (`(a|ab)*`);
 * - at most MAX_UNBOUNDED unbounded quantifiers and MAX_PATTERN_LENGTH characters.
 */

export const MAX_PATTERN_LENGTH = 256;
const MAX_UNBOUNDED = 6;
/** Repeating a group at most this often multiplies the work by a small constant only. */
const SMALL_REPEAT = 3;

/** What an atom (or the content of a group so far) contains that matters under repetition. */
interface Shape {
  /** Contains a quantifier whose minimum and maximum differ. */
  variable: boolean;
  alternation: boolean;
}

/** Returns why `source` is unsafe, or undefined when it is safe. Does not check that it compiles. */
export function unsafeRegexReason(source: string): string | undefined {
  if (source.length > MAX_PATTERN_LENGTH) {
    return `the pattern is ${source.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`;
  }
  const stack: Shape[] = [{ variable: false, alternation: false }];
  let last: Shape | undefined; // the atom a following quantifier applies to
  let unbounded = 0;
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const frame = stack[stack.length - 1]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') return `backreferences (\\${next}) are not allowed`;
      last = { variable: false, alternation: false };
      i += 2;
    } else if (c === '[') {
      i = skipClass(source, i);
      last = { variable: false, alternation: false };
    } else if (c === '(') {
      if (/^\(\?<?[=!]/.test(source.slice(i, i + 4)))
        return 'lookahead and lookbehind groups are not allowed';
      stack.push({ variable: false, alternation: false });
      last = undefined;
      if (source.startsWith('(?:', i)) i += 3;
      else if (source.startsWith('(?<', i)) i = skipGroupName(source, i);
      else i += 1;
    } else if (c === ')') {
      if (stack.length === 1) return 'unbalanced parenthesis';
      last = stack.pop()!;
      merge(stack[stack.length - 1]!, last);
      i += 1;
    } else if (c === '|') {
      frame.alternation = true;
      last = undefined;
      i += 1;
    } else if (
      c === '*' ||
      c === '+' ||
      c === '?' ||
      (c === '{' && /^\{\d+(,\d*)?\}/.test(source.slice(i)))
    ) {
      const { min, max, end } = readQuantifier(source, i);
      i = end;
      if (source[i] === '?') i += 1; // lazy: same worst case
      if (last === undefined) return `a quantifier at position ${i} repeats nothing`;
      if (max > SMALL_REPEAT && (last.variable || last.alternation)) {
        return last.alternation
          ? 'a repeated group contains an alternation (`(a|ab)*`), which can backtrack exponentially'
          : 'a repeated group contains a variable repetition (`(a+)+`): nested quantifiers can backtrack exponentially';
      }
      if (max === Number.POSITIVE_INFINITY && ++unbounded > MAX_UNBOUNDED) {
        return `more than ${MAX_UNBOUNDED} unbounded quantifiers (*, +, {n,}); split the pattern or use character classes`;
      }
      if (min !== max) frame.variable = true;
      last = undefined;
    } else {
      last = { variable: false, alternation: false };
      i += 1;
    }
  }
  if (stack.length !== 1) return 'unbalanced parenthesis';
  return undefined;
}

function merge(into: Shape, from: Shape): void {
  into.variable ||= from.variable;
  into.alternation ||= from.alternation;
}

function skipClass(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i += 1;
  if (source[i] === ']') i += 1;
  while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** `(?<name>`: `i` points at `(`; returns the index after `>`. */
function skipGroupName(source: string, i: number): number {
  const close = source.indexOf('>', i);
  return close === -1 ? source.length : close + 1;
}

function readQuantifier(source: string, i: number): { min: number; max: number; end: number } {
  const c = source[i];
  if (c === '*') return { min: 0, max: Number.POSITIVE_INFINITY, end: i + 1 };
  if (c === '+') return { min: 1, max: Number.POSITIVE_INFINITY, end: i + 1 };
  if (c === '?') return { min: 0, max: 1, end: i + 1 };
  const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i))!;
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : match[3] === '' ? Number.POSITIVE_INFINITY : Number(match[3]);
  return { min, max, end: i + match[0].length };
}
