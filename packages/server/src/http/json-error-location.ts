import type { SourceLocation } from '@pullguard/engine';

/**
 * Where a JSON text stops being valid, for error messages: V8's `JSON.parse` messages on Node 20
 * often omit the position ("Unexpected token '}', ... is not valid JSON"). Runs only on the error
 * path; iterative (an explicit stack), so a deeply nested body cannot overflow the call stack.
 */
export function locateJsonError(
  text: string,
): { offset: number; location: SourceLocation; problem: string } | undefined {
  const fail = (offset: number, problem: string) => ({ offset, location: lineColumn(text, offset), problem });
  const stack: ('{' | '[')[] = [];
  // What may come next: a value, an object key, a ':' , a ',' or closing bracket, or nothing.
  type Expect = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';
  let expect: Expect = 'value';
  let i = 0;
  const n = text.length;
  while (true) {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    if (i >= n) return expect === 'end' ? undefined : fail(n, 'unexpected end of input');
    const c = text[i]!;
    if (expect === 'end') return fail(i, `unexpected ${describe(c)} after the end of the value`);
    if (expect === 'colon') {
      if (c !== ':') return fail(i, `expected ':' after an object key, found ${describe(c)}`);
      i++;
      expect = 'value';
      continue;
    }
    if (expect === 'comma-or-close') {
      const top = stack[stack.length - 1];
      if (c === ',') {
        i++;
        expect = top === '{' ? 'key' : 'value';
        continue;
      }
      if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
        i++;
        stack.pop();
        expect = stack.length === 0 ? 'end' : 'comma-or-close';
        continue;
      }
      return fail(i, `expected ',' or '${top === '{' ? '}' : ']'}', found ${describe(c)}`);
    }
    if (expect === 'key' || expect === 'key-or-close') {
      if (c === '}' && expect === 'key-or-close') {
        i++;
        stack.pop();
        expect = stack.length === 0 ? 'end' : 'comma-or-close';
        continue;
      }
      if (c !== '"') return fail(i, `expected a property name in double quotes, found ${describe(c)}`);
      const end = scanString(text, i);
      if (typeof end === 'object') return fail(end.at, end.problem);
      i = end;
      expect = 'colon';
      continue;
    }
    // a value (or, right after '[', a closing bracket)
    if (c === ']' && expect === 'value-or-close') {
      i++;
      stack.pop();
      expect = stack.length === 0 ? 'end' : 'comma-or-close';
      continue;
    }
    if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      expect = c === '{' ? 'key-or-close' : 'value-or-close';
      continue;
    }
    let end: number | { at: number; problem: string };
    if (c === '"') end = scanString(text, i);
    else if (c === '-' || (c >= '0' && c <= '9')) end = scanNumber(text, i);
    else end = scanLiteral(text, i);
    if (typeof end === 'object') return fail(end.at, end.problem);
    i = end;
    expect = stack.length === 0 ? 'end' : 'comma-or-close';
  }
}

function scanString(text: string, start: number): number | { at: number; problem: string } {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) return { at: i, problem: 'control character in a string (escape it)' };
    if (code === 0x5c) {
      const e = text[i + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { at: i, problem: 'bad \\u escape' };
        i += 6;
        continue;
      }
      if (e === undefined || !'"\\/bfnrt'.includes(e)) return { at: i, problem: 'bad escape in a string' };
      i += 2;
      continue;
    }
    i++;
  }
  return { at: text.length, problem: 'unterminated string' };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function scanNumber(text: string, start: number): number | { at: number; problem: string } {
  NUMBER.lastIndex = start;
  const m = NUMBER.exec(text);
  if (!m || m[0] === '-') return { at: start, problem: 'malformed number' };
  return start + m[0].length;
}

function scanLiteral(text: string, start: number): number | { at: number; problem: string } {
  for (const word of ['true', 'false', 'null']) {
    if (text.startsWith(word, start)) return start + word.length;
  }
  return { at: start, problem: `unexpected ${describe(text[start]!)}` };
}

function describe(c: string): string {
  return c === "'" ? `"'"` : `'${c}'`;
}

/** 1-based line and column (UTF-16 code units, like SourceLocation everywhere) of `offset`. */
export function lineColumn(text: string, offset: number): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
