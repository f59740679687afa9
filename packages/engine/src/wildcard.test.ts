import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileImagePattern } from './images/image-pattern.js';
import { compileGlob, NAMESPACE_GLOB } from './policy/glob.js';
import { sequenceMatch, wildcardMatch } from './wildcard.js';

/**
 * The textbook definition, written independently of the two-pointer scan: a star matches the
 * empty run or one more element, anything else one element it accepts (memoized, so O(n × m)).
 */
function reference<P, T>(
  pattern: readonly P[],
  text: readonly T[],
  isStar: (p: P) => boolean,
  accepts: (p: P, t: T) => boolean,
): boolean {
  const memo = new Map<number, boolean>();
  const at = (i: number, j: number): boolean => {
    const key = i * (text.length + 1) + j;
    let known = memo.get(key);
    if (known !== undefined) return known;
    const element = pattern[i];
    if (element === undefined) known = j === text.length;
    else if (isStar(element)) known = at(i + 1, j) || (j < text.length && at(i, j + 1));
    else known = j < text.length && accepts(element, text[j] as T) && at(i + 1, j + 1);
    memo.set(key, known);
    return known;
  };
  return at(0, 0);
}

const charReference = (pattern: string, text: string) =>
  reference(
    [...pattern],
    [...text],
    (c) => c === '*',
    (p, t) => p === '?' || p === t,
  );

describe('character wildcards: * any run, ? one character', () => {
  it.each([
    ['*', '', true],
    ['*', 'anything', true],
    ['prod-*', 'prod-', true],
    ['prod-*', 'prod', false],
    ['*-prod', 'eu-prod', true],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    ['a**b', 'ab', true],
    ['team-?', 'team-a', true],
    ['team-?', 'team-', false],
    ['team-?', 'team-ab', false],
    ['?*', '', false],
    ['exact', 'exact', true],
    ['exact', 'exactly', false],
  ])('%j against %j is %s', (pattern, text, expected) => {
    expect(wildcardMatch(pattern, text)).toBe(expected);
  });

  it('never backtracks exponentially where a regular expression would', () => {
    expect(wildcardMatch(`${'*a'.repeat(40)}b`, 'a'.repeat(255))).toBe(false);
  });

  it('agrees with the textbook definition on random patterns and texts', () => {
    const pattern = fc.stringMatching(/^[ab*?]{0,12}$/);
    const text = fc.stringMatching(/^[ab]{0,14}$/);
    fc.assert(
      fc.property(pattern, text, (p, t) => {
        expect(wildcardMatch(p, t)).toBe(charReference(p, t));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('component wildcards: ** any run of components, each other component a character pattern', () => {
  const components = (pattern: readonly string[], name: readonly string[]) =>
    sequenceMatch(pattern, name, (c) => c === '**', wildcardMatch);

  it.each([
    [['**', 'app'], ['acme', 'team', 'app'], true],
    [['**', 'app'], ['app'], true],
    [['acme', '*', 'app'], ['acme', 'team', 'app'], true],
    [['acme', '*', 'app'], ['acme', 'app'], false],
    [['acme', '*-api'], ['acme', 'users-api'], true],
    [['acme', '*', '**'], ['acme'], false],
  ])('%j against %j is %s', (pattern, name, expected) => {
    expect(components(pattern, name)).toBe(expected);
  });

  it('starts at `from` in both sequences', () => {
    expect(sequenceMatch(['host', 'a*'], ['other', 'ab'], (c) => c === '**', wildcardMatch, 1)).toBe(true);
  });

  it('agrees with the textbook definition on random component patterns', () => {
    const patternComponent = fc.constantFrom('**', '*', 'a', 'b', 'a*', '*b', 'ab');
    const nameComponent = fc.constantFrom('a', 'b', 'ab', 'ba', 'aab');
    fc.assert(
      fc.property(
        fc.array(patternComponent, { maxLength: 6 }),
        fc.array(nameComponent, { maxLength: 7 }),
        (pattern, name) => {
          expect(components(pattern, name)).toBe(
            reference(
              pattern,
              name,
              (c) => c === '**',
              (p, n) => charReference(p, n),
            ),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('one definition for namespace globs and image patterns', () => {
  it('namespace globs match as the definition says', () => {
    const glob = fc.stringMatching(/^[ab*?-]{1,12}$/).filter((g) => /[*?]/.test(g));
    const name = fc.stringMatching(/^[ab-]{0,14}$/);
    fc.assert(
      fc.property(glob, name, (g, n) => {
        expect(compileGlob(g, NAMESPACE_GLOB).matches(n)).toBe(charReference(g, n));
      }),
    );
  });

  it('an image pattern component matches as the definition says', () => {
    const component = fc.stringMatching(/^[ab*]{1,8}$/).filter((c) => c.includes('*') && !c.includes('**'));
    const name = fc.stringMatching(/^[ab]{1,10}$/);
    fc.assert(
      fc.property(component, name, (c, n) => {
        const { pattern } = compileImagePattern(`ghcr.io/acme/${c}`);
        expect(pattern.matches(`ghcr.io/acme/${n}`)).toBe(charReference(c, n));
      }),
    );
  });
});
