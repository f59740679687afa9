import { describe, expect, it } from 'vitest';
import { FileLocations, parseYamlDocuments } from './yaml-source.js';

// A comment-only document in the middle: document numbers count it, as the parser does.
const FILE = `# the first document
first: 1
---
# nothing here
---
second:
  list:
    - a
    - key: value
  alias: &shared { deep: x }
  again: *shared
`;

const PATHS = [
  [],
  ['second'],
  ['second', 'list', 1, 'key'],
  ['second', 'missing', 'field'],
  ['second', 'again', 'deep'],
] as const;

describe('YAML source locations', () => {
  it('locates a field of any document of a file at its line and column in the file', () => {
    const [first, second] = parseYamlDocuments(FILE, 'f.yaml').documents;
    expect(first?.locate(['first'])).toEqual({ file: 'f.yaml', line: 2, column: 8 });
    expect(second?.locate(['second', 'list', 1, 'key'])).toEqual({ file: 'f.yaml', line: 9, column: 12 });
    expect(second?.locate(['second', 'list'], true)).toEqual({ file: 'f.yaml', line: 7, column: 3 });
  });

  it('locates a missing field at its nearest ancestor, and through aliases', () => {
    const second = parseYamlDocuments(FILE, 'f.yaml').documents[1];
    expect(second?.locate(['second', 'missing', 'field'])).toEqual({ file: 'f.yaml', line: 6, column: 1 });
    expect(second?.locate(['second', 'again', 'deep'])).toEqual({ file: 'f.yaml', line: 10, column: 26 });
  });

  it('gives the same locations when the file is parsed again from its text (the trees were collected)', () => {
    const documents = parseYamlDocuments(FILE, 'f.yaml').documents;
    const reparsed = new FileLocations(FILE, 'f.yaml');
    // Documents 0, 1 (comments only) and 2 of the stream: the parsed ones are 0 and 2.
    for (const path of PATHS) {
      expect(reparsed.locate(2, path)).toEqual(documents[1]?.locate(path));
      expect(reparsed.locate(2, path, true)).toEqual(documents[1]?.locate(path, true));
    }
    expect(reparsed.locate(0, ['first'])).toEqual(documents[0]?.locate(['first']));
  });

  it('locates a document number the file does not have at the start of the file', () => {
    expect(new FileLocations(FILE, 'f.yaml').locate(7, ['x'])).toEqual({
      file: 'f.yaml',
      line: 1,
      column: 1,
    });
  });
});
