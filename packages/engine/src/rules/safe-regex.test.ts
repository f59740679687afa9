import { describe, expect, it } from 'vitest';
import { unsafeRegexReason } from './safe-regex.js';

describe('tag pattern safety', () => {
  it.each([
    'v?[0-9]+\\.[0-9]+\\.[0-9]+',
    'v?(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?',
    '([0-9]{1,3}\\.){3}[0-9]{1,3}',
    '(\\.[0-9]+){2}',
    '(?<major>[0-9]+)\\.(?:[0-9]+)',
    '[a-z]+(-[a-z]+)?',
    '(release|stable)-[0-9]+',
    '[(+*]+',
  ])('accepts %s', (pattern) => {
    expect(unsafeRegexReason(pattern)).toBeUndefined();
  });

  it.each([
    ['(a+)+', /nested quantifiers/],
    ['([0-9]{1,3})*', /nested quantifiers/],
    ['(a|ab)*c', /alternation/],
    ['((a)+)*', /nested quantifiers/],
    ['(a*){10}', /nested quantifiers/],
    ['(\\w+)\\1', /backreferences/],
    ['(?<x>a)\\k<x>', /backreferences/],
    ['(?=a)a', /lookahead/],
    ['(?<!a)b', /lookahead/],
    ['a{2,}b*c*d+e+f*g+', /unbounded quantifiers/],
    ['x'.repeat(300), /at most 256/],
    ['(a', /unbalanced/],
    ['+a', /repeats nothing/],
  ])('rejects %s', (pattern, why) => {
    expect(unsafeRegexReason(pattern)).toMatch(why);
  });
});
