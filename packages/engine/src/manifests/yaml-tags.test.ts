import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../errors.js';
import { loadManifests } from './load-manifests.js';

/** A Pod whose one container has `image: <value>`, the value at line 6, column 24. */
const pod = (value: string, extra: string[] = []) =>
  [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: p}',
    'spec:',
    '  containers:',
    `  - {name: app, image: ${value}}`,
    ...extra,
    '',
  ].join('\n');

const images = (text: string) => {
  const loaded = loadManifests(text, { file: 'pod.yaml' });
  return {
    images: loaded.images.map((i) => [i.raw, `${i.location?.line}:${i.location?.column}`]),
    errors: loaded.errors.map(formatDiagnostic),
  };
};

describe('explicit YAML tags, read as kubectl and the API server read them', () => {
  // sigs.k8s.io/yaml converts YAML to JSON through go-yaml v2 (goyaml.v2, based on v2.4.0):
  // decode.go `scalar` base64-decodes a `!!binary` value into a Go string, and encoding/json
  // writes that string. kubectl sends the decoded text, so that is the image that runs.
  it('decodes !!binary to the text kubectl sends, located at the value', () => {
    expect(images(pod('!!binary ZXZpbC5jb20veDox'))).toEqual({
      images: [['evil.com/x:1', '6:33']],
      errors: [],
    });
  });

  it('ignores line breaks inside !!binary (Go’s base64 decoder skips \\r and \\n), in keys too', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p}',
      'spec:',
      '  containers:',
      '  - name: app',
      '    !!binary aW1hZ2U=: !!binary |', // the key is "image"
      '      ZXZpbC5j',
      '      b20veDox',
      '',
    ].join('\n');
    expect(images(text)).toEqual({ images: [['evil.com/x:1', '7:33']], errors: [] });
  });

  it('rejects a !!binary value that is not padded standard base64, as go-yaml rejects the document', () => {
    for (const value of ['!!binary ZXZpbC5jb20veDox=', '!!binary ZXZpbC5jb20veDo', '!!binary "ZXZp bC5j"']) {
      expect(images(pod(value)), value).toEqual({
        images: [],
        errors: [
          'pod.yaml:6:24: YAML_TAG the !!binary value is not valid base64 (standard alphabet, padded): kubectl and the API server reject the document',
        ],
      });
    }
  });

  it('replaces each byte that is not UTF-8 with U+FFFD, as Go’s encoding/json does', () => {
    // 0xE2 0x82 is a truncated three-byte sequence: two replacement characters in Go, not one.
    const bytes = Buffer.from([0x61, 0xe2, 0x82, 0x62, 0xff]).toString('base64');
    expect(images(pod(`!!binary ${bytes}`)).images).toEqual([['a\ufffd\ufffdb\ufffd', '6:33']]);
  });

  it('reads !!str, the non-specific tag `!` and the verbatim string tag as strings', () => {
    for (const value of ['!!str nginx', '! nginx', '!<tag:yaml.org,2002:str> nginx', '!!str "nginx"']) {
      expect(images(pod(value)).images[0]?.[0], value).toBe('nginx');
    }
  });

  it('accepts core tags on values of their own type: the tag changes nothing', () => {
    const loaded = loadManifests(
      pod('!!str nginx', ['  terminationGracePeriodSeconds: !!int 30', '  hostNetwork: !!bool false']),
    );
    expect(loaded.errors).toEqual([]);
    expect(loaded.objects[0]?.object).toMatchObject({
      spec: { terminationGracePeriodSeconds: 30, hostNetwork: false },
    });
  });

  it('refuses every other tag that changes what a value means, at the tag', () => {
    const cases: [string, string][] = [
      ['!!timestamp 2024-01-01', 'the tag !!timestamp'],
      ['!!bool yes', 'the value is not a !!bool'],
      ['!!set {a}', 'the tag !!set'],
      ['!acme nginx', 'the tag !acme'],
      ['!!str {a: b}', 'the tag !!str'],
    ];
    for (const [value, start] of cases) {
      const loaded = loadManifests(pod(value), { file: 'pod.yaml' });
      expect(loaded.images, value).toEqual([]);
      expect(loaded.errors, value).toEqual([
        expect.objectContaining({
          code: 'YAML_TAG',
          location: { file: 'pod.yaml', line: 6, column: 24 },
          message: expect.stringContaining(start),
        }),
      ]);
    }
  });
});
