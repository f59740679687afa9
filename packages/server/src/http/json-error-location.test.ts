import { describe, expect, it } from 'vitest';
import { lineColumn, locateJsonError } from './json-error-location.js';

describe('locateJsonError', () => {
  it('finds nothing wrong in valid JSON (agrees with JSON.parse)', () => {
    for (const text of ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\"y\\u00e9"]} ', '"s"', '0']) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(locateJsonError(text)).toBeUndefined();
    }
  });

  it.each([
    ['{"a": }', 6, "unexpected '}'"],
    ['{"a": 1', 7, 'unexpected end of input'],
    ['{"a" 1}', 5, "expected ':' after an object key, found '1'"],
    ["{'a': 1}", 1, `expected a property name in double quotes, found "'"`],
    ['[1, 2,]', 6, "unexpected ']'"],
    ['{"a": 1,}', 8, "expected a property name in double quotes, found '}'"],
    ['[1 2]', 3, "expected ',' or ']', found '2'"],
    ['{} x', 3, "unexpected 'x' after the end of the value"],
    ['"tab\there"', 4, 'control character in a string (escape it)'],
    ['[01]', 2, "expected ',' or ']', found '1'"],
    ['[-]', 1, 'malformed number'],
    ['"abc', 4, 'unterminated string'],
  ])('locates the problem in %j at offset %i', (text, offset, problem) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(locateJsonError(text)).toMatchObject({ offset, problem });
  });

  it('counts lines and columns from 1', () => {
    expect(locateJsonError('{\n  "a": 1,\n  "b": x\n}')?.location).toEqual({ line: 3, column: 8 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });

  it('survives deep nesting without recursion', () => {
    const text = '['.repeat(200_000);
    expect(locateJsonError(text)).toMatchObject({ offset: 200_000, problem: 'unexpected end of input' });
  });
});
