/**
 * The engine's one wildcard matcher, shared by namespace and workload globs (policy/glob.ts) and
 * image patterns (images/pattern-glob.ts). A pattern is a sequence of elements; a star element
 * matches any run of text elements (also none), every other element matches exactly one text
 * element it `accepts`. At the character level the star is `*` and `?` accepts any character;
 * at the level of path components the star is `**` and a component accepts a name component it
 * matches as a character-level pattern.
 *
 * The scan is the classic two-pointer one with single-star backtracking: on a mismatch, the last
 * star seen absorbs one more text element and matching resumes right after it. That is exact for
 * stars (anything the earlier stars absorbed could also be absorbed by the last one) and costs
 * O(|pattern| × |text|) at worst, never exponential like a backtracking regular expression; no
 * pattern ever becomes a RegExp.
 */
export function sequenceMatch<P, T>(
  pattern: ArrayLike<P>,
  text: ArrayLike<T>,
  isStar: (element: P) => boolean,
  accepts: (element: P, actual: T) => boolean,
  from = 0,
): boolean {
  let p = from;
  let t = from;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && isStar(pattern[p] as P)) {
      star = p++;
      resume = t;
    } else if (p < pattern.length && accepts(pattern[p] as P, text[t] as T)) {
      p++;
      t++;
    } else if (star !== -1) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && isStar(pattern[p] as P)) p++;
  return p === pattern.length;
}

const isStarChar = (c: string): boolean => c === '*';
const acceptsChar = (expected: string, actual: string): boolean => expected === '?' || expected === actual;

/** `*` = any run of characters (also none), `?` = exactly one character, anything else itself. */
export function wildcardMatch(pattern: string, text: string): boolean {
  return sequenceMatch(pattern, text, isStarChar, acceptsChar);
}
