import * as jsYaml from 'js-yaml';
import { CORE_SCHEMA, load, type Type } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { KUBERNETES_SCHEMA } from './yaml-schema.js';

// The reference: the core schema plus merge keys, resolved by js-yaml's own resolvers only.
const { merge } = (jsYaml as unknown as { types: { merge: Type } }).types;
const REFERENCE = CORE_SCHEMA.extend({ implicit: [merge] });

/** What a text loads to under a schema, or the error message: both must agree. */
function outcome(text: string, schema: typeof REFERENCE): unknown {
  try {
    return { value: load(text, { schema }) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const CORE_FORMS = [
  '~',
  'null',
  'Null',
  'NULL',
  'nul',
  'nulls',
  'true',
  'True',
  'TRUE',
  'tRUE',
  'false',
  'False',
  'FALSE',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  '0',
  '-0',
  '+1',
  '007',
  '0x1F',
  '0o17',
  '0b101',
  '0x',
  '1_000',
  '1.5',
  '-.5',
  '.5',
  '1e3',
  '1.',
  '-1.5e-3',
  '.inf',
  '-.Inf',
  '+.INF',
  '.nan',
  '.NaN',
  '.NAN',
  '.',
  '-',
  '+',
  '<<',
  '<',
  '<a',
  '2024-01-01',
  'nginx:1.27',
  'Always',
  'v1',
];

describe('KUBERNETES_SCHEMA', () => {
  it('resolves every core-schema form as the core resolvers alone do', () => {
    for (const form of CORE_FORMS) {
      for (const text of [`k: ${form}`, `${form}: v`, `[${form}]`, `{k: ${form}}`, `- ${form}`]) {
        expect(outcome(text, KUBERNETES_SCHEMA), text).toEqual(outcome(text, REFERENCE));
      }
    }
  });

  it('resolves a plain scalar starting with any printable character as the core resolvers do', () => {
    const suffixes = ['', 'a', '1', 'ull', 'rue', 'alse', '.5', 'x1', 'o7', ' b', '<'];
    for (let code = 0x21; code < 0x7f; code++) {
      for (const suffix of suffixes) {
        const text = `k: ${String.fromCharCode(code)}${suffix}`;
        expect(outcome(text, KUBERNETES_SCHEMA), text).toEqual(outcome(text, REFERENCE));
      }
    }
  });

  it('keeps merge keys, anchors on strings, and explicit !!str tags', () => {
    const text = 'base: &b {image: &i nginx, n: 1}\nref: *i\nmerged: {<<: *b, n: 2}\ns: !!str 12\n';
    expect(load(text, { schema: KUBERNETES_SCHEMA })).toEqual({
      base: { image: 'nginx', n: 1 },
      ref: 'nginx',
      merged: { image: 'nginx', n: 2 },
      s: '12',
    });
  });
});
