import { describe, expect, it } from 'vitest';
import { LineIndex, splitDocuments } from './source-text.js';

describe('splitDocuments', () => {
  const texts = (input: string) => splitDocuments(input).map((chunk) => chunk.text);

  it('starts a document at each `---` line and keeps offsets into the input', () => {
    const input = 'a: 1\n---\nb: 2\n--- # comment\nc: 3\n';
    expect(texts(input)).toEqual(['a: 1\n', '---\nb: 2\n', '--- # comment\nc: 3\n']);
    for (const chunk of splitDocuments(input))
      expect(input.slice(chunk.offset, chunk.offset + chunk.text.length)).toBe(chunk.text);
  });

  it('ends a document after a `...` line', () => {
    expect(texts('a: 1\n...\nb: 2\n')).toEqual(['a: 1\n...\n', 'b: 2\n']);
  });

  it('does not split at `---` that is indented or part of a longer token', () => {
    expect(texts('a: |\n  ---\nb: ----\nc: "---x"\n')).toHaveLength(1);
  });

  it('keeps `%` directives with the document they precede', () => {
    expect(texts('a: 1\n...\n%YAML 1.2\n---\nb: 2\n')).toEqual(['a: 1\n...\n', '%YAML 1.2\n---\nb: 2\n']);
  });
});

describe('LineIndex', () => {
  it('turns offsets into 1-based lines and columns, CRLF included', () => {
    const lines = new LineIndex('ab\r\ncd\nef', 'f.yaml');
    expect(lines.locate(0)).toEqual({ file: 'f.yaml', line: 1, column: 1 });
    expect(lines.locate(4)).toEqual({ file: 'f.yaml', line: 2, column: 1 });
    expect(lines.locate(8)).toEqual({ file: 'f.yaml', line: 3, column: 2 });
  });
});
