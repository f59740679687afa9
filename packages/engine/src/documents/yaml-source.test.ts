import { describe, expect, it } from 'vitest';
import type { PathSegment } from './field-path.js';
import { parseYamlDocuments } from './yaml-source.js';

// Documents separated every way YAML allows: a comment-only document, a directive, an explicit
// end (`...`), content on the `---` line, a trailing comment on a document's last line.
const FILE = `# the first document
first: 1 # trailing
---
# nothing here
---
second:
  list:
    - a
    - key: value
  alias: &shared { deep: x }
  again: *shared
...
%YAML 1.2
---
third: [1, { two: 2 }]
--- { fourth: [a, b] }
`;

const PATHS: Record<string, readonly PathSegment[][]> = {
  first: [[], ['first'], ['missing']],
  second: [
    ['second'],
    ['second', 'list', 1, 'key'],
    ['second', 'list'],
    ['second', 'missing', 'field'],
    ['second', 'again', 'deep'],
  ],
  third: [
    ['third', 1, 'two'],
    ['third', 0],
  ],
  fourth: [['fourth', 1], ['fourth']],
};

describe('YAML source locations', () => {
  it('locates a field of any document of a file at its line and column in the file', () => {
    const [first, second, third, fourth] = parseYamlDocuments(FILE, 'f.yaml').documents;
    expect(first?.locate(['first'])).toEqual({ file: 'f.yaml', line: 2, column: 8 });
    expect(second?.locate(['second', 'list', 1, 'key'])).toEqual({ file: 'f.yaml', line: 9, column: 12 });
    expect(second?.locate(['second', 'list'], true)).toEqual({ file: 'f.yaml', line: 7, column: 3 });
    expect(third?.locate(['third', 1, 'two'])).toEqual({ file: 'f.yaml', line: 15, column: 19 });
    expect(fourth?.locate(['fourth', 1])).toEqual({ file: 'f.yaml', line: 16, column: 19 });
  });

  it('locates a missing field at its nearest ancestor, and through aliases', () => {
    const second = parseYamlDocuments(FILE, 'f.yaml').documents[1];
    expect(second?.locate(['second', 'missing', 'field'])).toEqual({ file: 'f.yaml', line: 6, column: 1 });
    expect(second?.locate(['second', 'again', 'deep'])).toEqual({ file: 'f.yaml', line: 10, column: 26 });
  });

  it('gives the same locations after release, from a new parse of the document alone', () => {
    const parsed = parseYamlDocuments(FILE, 'f.yaml');
    const all = () =>
      parsed.documents.flatMap((document, index) =>
        (Object.values(PATHS)[index] ?? []).flatMap((path) => [
          document.locate(path),
          document.locate(path, true),
        ]),
      );
    const before = all();
    parsed.release();
    expect(all()).toEqual(before);
  });

  it('locates fields of a file with CRLF line breaks after release too', () => {
    const parsed = parseYamlDocuments(FILE.replace(/\n/g, '\r\n'), 'f.yaml');
    const second = parsed.documents[1];
    const before = PATHS['second']?.map((path) => second?.locate(path));
    parsed.release();
    expect(PATHS['second']?.map((path) => second?.locate(path))).toEqual(before);
    expect(second?.locate(['second', 'list', 1, 'key'])).toEqual({ file: 'f.yaml', line: 9, column: 12 });
  });
});
