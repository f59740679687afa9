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

  it('gives the same locations after release, from a new parse of the text', () => {
    const parsed = parseYamlDocuments(FILE, 'f.yaml');
    const [first, second] = parsed.documents;
    const before = PATHS.flatMap((path) => [second?.locate(path), second?.locate(path, true)]);
    const firstBefore = first?.locate(['first']);
    parsed.release();
    expect(PATHS.flatMap((path) => [second?.locate(path), second?.locate(path, true)])).toEqual(before);
    expect(first?.locate(['first'])).toEqual(firstBefore);
  });

  it('numbers documents as the parser does, comment-only ones included', () => {
    const second = parseYamlDocuments(FILE, 'f.yaml').documents[1];
    // Documents 0, 1 (comments only) and 2 of the stream: the second parsed one is number 2.
    const locations = new FileLocations(FILE, 'f.yaml');
    for (const path of PATHS) expect(locations.locate(2, path)).toEqual(second?.locate(path));
  });

  it('locates a document number the file does not have at the start of the file', () => {
    expect(new FileLocations(FILE, 'f.yaml').locate(7, ['x'])).toEqual({
      file: 'f.yaml',
      line: 1,
      column: 1,
    });
  });
});
