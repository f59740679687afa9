/**
 * Text inputs for the fuzz suites: the repository's example manifests, and an arbitrary that cuts,
 * splices and sprinkles YAML syntax into seed texts (near misses of valid files, which is where a
 * parser's corner cases are).
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';

const manifestsDir = new URL('../../../../examples/manifests/', import.meta.url);

/** The example manifests (good and bad), with the names their findings are located in. */
export const EXAMPLE_MANIFESTS: readonly { file: string; text: string }[] = ['good', 'bad'].flatMap((sub) =>
  readdirSync(new URL(`${sub}/`, manifestsDir))
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => ({
      file: `${sub}/${name}`,
      text: readFileSync(new URL(`${sub}/${name}`, manifestsDir), 'utf8'),
    })),
);

/** Fragments that mean something to YAML (and JSON), or to a reader of it. */
const YAML_TOKENS = [
  ':',
  ': ',
  '- ',
  '-',
  '---\n',
  '...\n',
  '\n',
  '\r\n',
  '\t',
  '  ',
  '#',
  '"',
  "'",
  '\\',
  '|',
  '>-',
  '{',
  '}',
  '[',
  ']',
  ',',
  '?',
  '&a ',
  '*a',
  '<<: *a\n',
  '!!binary ',
  '!!str ',
  '!!int ',
  '!!set ',
  '!!python/object ',
  '!custom ',
  '%YAML 1.1\n',
  '%TAG ! tag:x,2024:\n',
  '\u0000',
  '\uFEFF',
  '\uD800',
  '\u2028',
  'image: ',
  'containers:\n',
  'kind: Pod\n',
  'kind: List\nitems:\n',
  '{{ .Values.image }}',
  'null',
  '~',
  '0x1F',
  '1e400',
];

type TextEdit =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'repeat'; at: number; length: number; times: number };

const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.constantFrom(...YAML_TOKENS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.string({ maxLength: 8 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('delete' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 40 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('repeat' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 60 }),
      times: fc.integer({ min: 2, max: 50 }),
    }),
  },
);

function applyTextEdit(text: string, e: TextEdit): string {
  const at = e.at % (text.length + 1);
  if (e.op === 'insert') return text.slice(0, at) + e.text + text.slice(at);
  if (e.op === 'delete') return text.slice(0, at) + text.slice(at + e.length);
  return text.slice(0, at) + text.slice(at, at + e.length).repeat(e.times) + text.slice(at);
}

/** One of `seeds` (or two spliced together), with 1–6 edits at random places. */
export function editedText(seeds: readonly string[]): fc.Arbitrary<string> {
  const seed = fc.constantFrom(...seeds);
  const spliced = fc
    .tuple(seed, seed, fc.nat(), fc.nat())
    .map(([a, b, i, j]) => a.slice(0, i % (a.length + 1)) + b.slice(j % (b.length + 1)));
  return fc
    .tuple(
      fc.oneof({ weight: 3, arbitrary: seed }, { weight: 1, arbitrary: spliced }),
      fc.array(textEdit, { minLength: 1, maxLength: 6 }),
    )
    .map(([text, edits]) => edits.reduce(applyTextEdit, text));
}
