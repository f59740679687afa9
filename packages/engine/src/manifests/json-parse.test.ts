import { describe, expect, it } from 'vitest';
import { parseJsonDocument } from './json-parse.js';
import { DEFAULT_MANIFEST_LIMITS } from './limits.js';
import { loadManifests } from './load-manifests.js';
import { type ParseMarks, parseYamlDocument } from './yaml-parse.js';

/** The offsets loading reads: the root's and List items' starts, every mapping's image/reference values. */
function offsets(root: unknown, marks: ParseMarks): unknown[] {
  const out: unknown[] = [];
  const starts = [root, ...((root as { items?: unknown[] }).items ?? [])];
  for (const object of starts) out.push(['start', marks.startOffset(object as object)]);
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) walk(item);
    else if (typeof value === 'object' && value !== null) {
      out.push([marks.valueOffset(value, 'image'), marks.valueOffset(value, 'reference')]);
      for (const item of Object.values(value)) walk(item);
    }
  };
  walk(root);
  return out;
}

const tricky = JSON.stringify(
  {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'p',
          annotations: { 'quote"and\\backslash': 'x\\"y\\\\', image: '{"image": "decoy"}' },
        },
        spec: {
          containers: [
            { name: 'a', args: ['--image=x', '"'], image: 'nginx:1', n: [1.5e3, -2, true, false, null] },
            { name: 'b', image: 'redis' },
          ],
          volumes: [{ name: 'v', image: { reference: 'quay.io/x:1', pullPolicy: 'Never' } }],
        },
      },
    ],
  },
  null,
  2,
);

describe('parseJsonDocument', () => {
  it.each([
    ['indented', tricky],
    ['compact', JSON.stringify(JSON.parse(tricky))],
    ['with escaped keys', tricky.replace('"image": "nginx:1"', '"im\\u0061ge": "nginx:1"')],
  ])('records exactly the offsets the YAML parser records (%s)', (_, text) => {
    const json = parseJsonDocument(text, 0, text.length, DEFAULT_MANIFEST_LIMITS);
    const yaml = parseYamlDocument(text, DEFAULT_MANIFEST_LIMITS);
    if (!json?.ok || !yaml.ok) throw new Error('both parsers accept the text');
    expect(json.value).toEqual(yaml.value);
    expect(offsets(json.value, json.marks)).toEqual(offsets(yaml.value, yaml.marks));
    const found = offsets(json.value, json.marks)
      .flat()
      .filter((o) => typeof o === 'number');
    // root, item, the annotation named image, two container images, the volume image source, its reference
    expect(found).toHaveLength(7);
  });

  it('leaves text that is not JSON to the YAML parser', () => {
    expect(parseJsonDocument('{a: 1}', 0, 6, DEFAULT_MANIFEST_LIMITS)).toBeUndefined();
    expect(parseJsonDocument('{"a": 1,}', 0, 9, DEFAULT_MANIFEST_LIMITS)).toBeUndefined();
  });

  it('uses the last value of a duplicate key, as JSON.parse and Kubernetes do, and warns at its object', () => {
    const text =
      '{"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"image": "good", "image": "evil"}]}}';
    const loaded = loadManifests(text, { file: 'dup.json' });
    expect(loaded.images.map((i) => [i.raw, i.location?.column])).toEqual([
      ['evil', text.indexOf('"evil"') + 1],
    ]);
    expect(loaded.warnings).toEqual([
      expect.objectContaining({
        code: 'YAML_SYNTAX',
        severity: 'warning',
        location: { file: 'dup.json', line: 1, column: text.indexOf('{"image"') + 1 },
      }),
    ]);
  });

  it('refuses nesting deeper than maxDepth', () => {
    const deep = `{"apiVersion": "v1", "kind": "ConfigMap", "data": ${'['.repeat(200)}${']'.repeat(200)}}`;
    expect(loadManifests(deep).errors).toEqual([expect.objectContaining({ code: 'TOO_DEEP' })]);
  });

  it('reads a JSON document after `---` in a YAML stream', () => {
    const json = '{"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"image": "x"}]}}';
    const loaded = loadManifests(`a: 1\n---\n${json}\n`);
    expect(loaded.images[0]?.location).toEqual({ file: undefined, line: 3, column: json.indexOf('"x"') + 1 });
  });

  it('reads a stream of JSON objects (one after another, as kubectl does) as separate documents', () => {
    const pod = (name: string) =>
      `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "${name}"}, "spec": {"containers": [{"image": "${name}:1"}]}}`;
    const text = `${pod('a')}\n${pod('b')}${pod('c')}\n`;
    const loaded = loadManifests(text, { file: 'stream.json' });
    expect(loaded.errors).toEqual([]);
    expect(loaded.images.map((i) => [i.raw, i.objectIndex, i.location?.line])).toEqual([
      ['a:1', 0, 1],
      ['b:1', 1, 2],
      ['c:1', 2, 2],
    ]);
    expect(loaded.images[2]?.location?.column).toBe(pod('b').length + pod('c').indexOf('"c:1"') + 1);
  });

  it('reports a broken JSON stream as JSON_SYNTAX', () => {
    const loaded = loadManifests('{"kind": "Pod"}\n{"kind": \n', { file: 'stream.json' });
    expect(loaded.errors).toEqual([expect.objectContaining({ code: 'JSON_SYNTAX' })]);
  });
});
