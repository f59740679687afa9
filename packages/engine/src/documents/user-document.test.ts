import { describe, expect, it } from 'vitest';
import { PullguardAggregateError, PullguardError } from '../errors.js';
import { compileSchemaCheck, selfContainedSchema } from './schema-check.js';
import { parseUserDocument, parseUserDocuments, readUserDocuments } from './user-document.js';

const check = compileSchemaCheck({
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    labels: { type: 'object', propertyNames: { pattern: '^[a-z]+$', description: 'lowercase letters' } },
    list: { type: ['string', 'array'], items: { type: 'string' } },
  },
});
const options = { code: 'CONFIG_INVALID', what: 'settings file', check } as const;

const thrown = (read: () => unknown): unknown => {
  try {
    read();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
};

describe('files users write (one YAML or JSON document, its schema, located problems)', () => {
  it('reads the document and locates its fields', () => {
    const document = parseUserDocument('name: a\nlist:\n  - x\n', 'f.yaml', options);
    expect(document.value).toEqual({ name: 'a', list: ['x'] });
    expect(document.locate(['list', 0])).toEqual({ file: 'f.yaml', line: 3, column: 5 });
    expect(document.locate(['list'], true)).toEqual({ file: 'f.yaml', line: 2, column: 1 });
  });

  it('throws one problem as itself: code, message, file:line:column, field', () => {
    expect(thrown(() => parseUserDocument('name: a\nlist: [x, 3]\n', 'f.yaml', options))).toEqual(
      new PullguardError('CONFIG_INVALID', 'must be a string (found number 3)', {
        location: { file: 'f.yaml', line: 2, column: 11 },
        field: 'list[1]',
      }),
    );
  });

  it('throws several problems together, sorted by position; unknown fields and bad keys at the key', () => {
    const error = thrown(() =>
      parseUserDocument('labels:\n  Bad: x\nnaem: a\nname: ""\n', 'f.yaml', options),
    ) as PullguardAggregateError;
    expect(error).toBeInstanceOf(PullguardAggregateError);
    expect(error.message).toMatch(/^3 problems in the settings file:/);
    expect(error.diagnostics.map((d) => [d.location?.line, d.location?.column, d.field, d.message])).toEqual([
      [2, 3, 'labels.Bad', '"Bad" is not valid: must be lowercase letters'],
      [3, 1, 'naem', 'unknown field "naem" (did you mean "name"?)'],
      [4, 7, 'name', 'must not be empty'],
    ]);
  });

  it('says where the YAML is broken, and where a second document starts', () => {
    expect(thrown(() => parseUserDocument('a: 1\na: 2\n', 'f.yaml', options))).toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/^Map keys must be unique/),
      location: { file: 'f.yaml', line: 2, column: 1 },
    });
    expect(thrown(() => parseUserDocument('name: a\n---\nname: b\n', 'f.yaml', options))).toMatchObject({
      message: 'a settings file holds one YAML document; a second one starts here',
      location: { file: 'f.yaml', line: 3, column: 1 },
    });
  });

  it('gives a file without a document the value it is told to (default null), checked as any other', () => {
    expect(parseUserDocument('# nothing yet\n', 'f.yaml', { ...options, empty: {} }).value).toEqual({});
    expect(thrown(() => parseUserDocument('', 'f.yaml', options))).toMatchObject({
      message: 'must be a map (found null)',
      location: { file: 'f.yaml', line: 1, column: 1 },
    });
  });

  it('reads every document of a stream, each located in the file', () => {
    const documents = parseUserDocuments('name: a\n---\nname: b\n', 'f.yaml', options);
    expect(documents.map((d) => [d.value, d.locate(['name']).line])).toEqual([
      [{ name: 'a' }, 1],
      [{ name: 'b' }, 3],
    ]);
    const read = readUserDocuments('name: 1\n---\nname: b\n', 'f.yaml', options);
    expect(read.documents).toHaveLength(2);
    expect(read.problems).toEqual([
      expect.objectContaining({ field: 'name', location: { file: 'f.yaml', line: 1, column: 7 } }),
    ]);
  });
});

describe('self-contained schemas', () => {
  const fixtures = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://example.com/schemas/leaf.schema.json',
    type: 'object',
    additionalProperties: { $ref: '#/$defs/value' },
    $defs: { value: { type: 'integer' } },
  };
  const root = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://example.com/schemas/root.schema.json',
    type: 'object',
    properties: { leaf: { $ref: 'leaf.schema.json' }, other: { $ref: 'leaf.schema.json' } },
  };

  it('embed the schema files they refer to, once each, where ajv finds them by $id', () => {
    const files: string[] = [];
    const schema = selfContainedSchema(root, (file) => {
      files.push(file);
      return fixtures;
    });
    expect(files).toEqual(['leaf.schema.json']);
    expect(schema['$defs']).toEqual({ 'leaf.schema.json': fixtures });
    expect(compileSchemaCheck(schema)({ leaf: { a: 'x' } })).toEqual([
      expect.objectContaining({ field: 'leaf.a', message: 'must be an integer (found string "x")' }),
    ]);
  });

  it('compile in either order in one process: the embedded resource is the same schema', () => {
    const embedding = compileSchemaCheck(selfContainedSchema(root, () => fixtures));
    expect(embedding({ other: { a: 1 } })).toEqual([]);
    expect(compileSchemaCheck(fixtures)({ a: 'x' })).toEqual([
      expect.objectContaining({ field: 'a', message: 'must be an integer (found string "x")' }),
    ]);
  });
});
