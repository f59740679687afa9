import { RE2JS } from '@bufbuild/re2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFullMatch, PATTERN_MAX_LENGTH } from './re2-pattern.js';

function compiled(source: string) {
  const result = compileFullMatch(source);
  if (!result.ok) throw new Error(`${source}: ${result.message}`);
  return result.pattern;
}

function rejection(source: string): string {
  const result = compileFullMatch(source);
  if (result.ok) throw new Error(`expected ${JSON.stringify(source)} to be rejected`);
  return result.message;
}

/** Patterns in the syntax RE2 and JavaScript share, over a tag-like alphabet. */
const atom = fc.constantFrom(
  'a',
  'b',
  '1',
  '\\.',
  '-',
  '.',
  '[ab]',
  '[^a]',
  '[0-9]',
  '\\d',
  '\\w',
  '[a-z0-9._-]',
);
const quantifier = fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,3}', '{0,2}');
const sharedPattern: fc.Arbitrary<string> = fc
  .letrec((tie) => ({
    piece: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 4, arbitrary: fc.tuple(atom, quantifier).map(([a, q]) => a + q) },
      { weight: 1, arbitrary: fc.tuple(tie('alternation'), quantifier).map(([a, q]) => `(${a})${q}`) },
    ),
    sequence: fc.array(tie('piece'), { minLength: 1, maxLength: 4 }).map((pieces) => pieces.join('')),
    alternation: fc
      .array(tie('sequence'), { minLength: 1, maxLength: 3 })
      .map((alternatives) => alternatives.join('|')),
  }))
  .alternation.filter((source) => source.length <= 120) as fc.Arbitrary<string>;
const tag = fc.stringMatching(/^[ab1.\-_x]{0,12}$/);

describe('whole-tag matching', () => {
  it('is exactly `^(?:pattern)$`, the form CEL matches() receives, and agrees with RegExp on shared syntax', () => {
    fc.assert(
      fc.property(sharedPattern, fc.array(tag, { maxLength: 8 }), (source, tags) => {
        const pattern = compiled(source);
        const anchored = RE2JS.compile(`^(?:${source})$`);
        const regexp = new RegExp(`^(?:${source})$`);
        for (const text of tags) {
          const expected = anchored.test(text);
          expect(pattern.matches(text), `${source} on ${text}`).toBe(expected);
          expect(regexp.test(text), `${source} on ${text} (RegExp)`).toBe(expected);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never accepts a substring match', () => {
    expect(compiled('[0-9]+\\.[0-9]+').matches('latest-1.2')).toBe(false);
    expect(compiled('a|ab').matches('ab')).toBe(true);
    expect(compiled('a|ab').matches('abc')).toBe(false);
  });

  it('keeps answering correctly for more distinct tags than it remembers', () => {
    const pattern = compiled('v[0-9]+');
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 1000; i++) {
        expect(pattern.matches(`v${i}`)).toBe(true);
        expect(pattern.matches(`x${i}`)).toBe(false);
      }
    }
  });
});

describe('patterns RE2 cannot express are rejected with their offset', () => {
  const unsupported = fc.constantFrom('\\9', '\\k<n>', '(?=a)', '(?!a)', '(?<=a)', '(?<!a)', 'a**', '[b-a]');
  it('reports where the construct starts, wherever it is inserted into a valid pattern', () => {
    fc.assert(
      fc.property(sharedPattern, fc.nat(), unsupported, (valid, at, bad) => {
        // Insert between two pieces: a point where the valid pattern is complete so far.
        const cuts = [0, ...[...valid.matchAll(/\|/g)].map((m) => (m.index ?? 0) + 1)];
        const cut = cuts[at % cuts.length] ?? 0;
        const source = valid.slice(0, cut) + bad + valid.slice(cut);
        const offset = cut + (bad.startsWith('a') ? 1 : bad.startsWith('[') ? 1 : 0);
        expect(rejection(source), source).toContain(`at offset ${offset}`);
      }),
      { numRuns: 300 },
    );
  });

  it('names backreferences and lookarounds as such', () => {
    expect(rejection('(a)\\1')).toBe('backreference `\\1` at offset 3: RE2 has no backreferences');
    expect(rejection('x(?<!a)')).toBe('lookaround `(?<!` at offset 1: RE2 has no lookarounds');
  });

  it('finds an error after expensive valid text without compiling it again', () => {
    // Each prefix is checked with a poisoned end, so this costs a few parses, not programs.
    expect(rejection(`${'x{1000}'.repeat(30)}(?=y)`)).toContain('at offset 210');
    expect(rejection(`${'x{1000}'.repeat(30)}\\Q(\\E)`)).toBe('unexpected ) at offset 215');
    expect(rejection(`${'x{1000}'.repeat(30)}\\Q)`)).toContain('unterminated \\Q');
  });

  it('locates a stray \\E, which it cannot use to end a prefix', () => {
    expect(rejection('(a)b\\E')).toBe('invalid escape sequence `\\E` at offset 4');
    expect(rejection('\\Qa\\E\\E')).toBe('invalid escape sequence `\\E` at offset 5');
  });

  it('rejects an empty pattern, an overlong one and an open \\Q quote', () => {
    expect(rejection('')).toBe('the pattern is empty');
    expect(rejection('a'.repeat(PATTERN_MAX_LENGTH + 1))).toContain(`at most ${PATTERN_MAX_LENGTH}`);
    expect(rejection('v\\Q1.')).toContain('unterminated \\Q…\\E quote');
    expect(compiled('v\\Q1.\\E').matches('v1.')).toBe(true);
  });

  it('accepts what RE2 accepts beyond JavaScript: POSIX classes, inline flags, \\z', () => {
    expect(compiled('[[:digit:]]+').matches('123')).toBe(true);
    expect(compiled('(?i)rc').matches('RC')).toBe(true);
    expect(compiled('v1\\z').matches('v1')).toBe(true);
  });
});
