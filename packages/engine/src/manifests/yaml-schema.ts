/**
 * The YAML schema manifests are read with: the YAML 1.2 core schema (what `1.20`, `yes`, `0755`
 * mean) plus `<<` merge keys, which Kubernetes' go-yaml decoder honours. No timestamp type:
 * go-yaml decodes dates into interface{} as strings (sigs.k8s.io/yaml → JSON), so `2024-01-01`
 * must stay a string here too.
 *
 * Explicit tags (docs/architecture.md "YAML tags"): `!!str`, `!!map`, `!!seq` and the non-specific
 * `!` as YAML says; `!!null`, `!!bool`, `!!int`, `!!float` only where the value is of that type
 * (they then change nothing); `!!binary` decoded as kubectl decodes it (binaryString below). Any
 * other tag is unknown to this schema, so js-yaml refuses it and the loader reports YAML_TAG.
 */
import * as jsYaml from 'js-yaml';
import { FAILSAFE_SCHEMA, type Schema, Type } from 'js-yaml';

// (@types/js-yaml does not declare the `types` export.)
const {
  null: nullType,
  bool,
  int,
  float,
  merge,
} = (jsYaml as unknown as { types: Record<'null' | 'bool' | 'int' | 'float' | 'merge', Type> }).types;

/**
 * Characters a plain scalar may start with and be something other than a string under this
 * schema: null (`~`, `null`/`Null`/`NULL`), booleans (`true`/`True`/`TRUE`, `false`/…), integers
 * and floats (a sign, a digit, `.` for `.5`, `.inf`, `.nan`) and the merge key `<<` — the first
 * characters js-yaml 4's core resolvers accept (js-yaml/lib/type/{null,bool,int,float}.js,
 * merge.js).
 */
const MAY_BE_OTHER_THAN_STRING = new Set('~nNtTfF+-.0123456789<'.split('').map((c) => c.charCodeAt(0)));

/**
 * Tried before the others: a plain scalar starting with any other character is a string, said
 * with one test where each core resolver would examine it in turn (the float one with a regular
 * expression). Most keys and values of a manifest (`metadata`, `containers`, `app`, `nginx:1.27`)
 * are such strings, and every plain scalar is resolved. It changes no result (yaml-schema.test.ts
 * compares this schema with the plain one).
 */
const certainString = new Type('tag:yaml.org,2002:str', {
  kind: 'scalar',
  resolve: (data: unknown) =>
    typeof data === 'string' && data.length > 0 && !MAY_BE_OTHER_THAN_STRING.has(data.charCodeAt(0)),
  construct: (data: string) => data,
});

/**
 * `!!binary` as the API server and kubectl read it. sigs.k8s.io/yaml (v1.4.0, what Kubernetes
 * 1.31+ pins) converts YAML to JSON through its go-yaml v2 fork (goyaml.v2, based on v2.4.0):
 * decode.go `(*decoder).scalar` base64-decodes a `!!binary` value with
 * `base64.StdEncoding.DecodeString` into a Go string (and fails the document on invalid base64),
 * and yaml.go `yamlToJSON` writes that string with encoding/json. So `image: !!binary
 * ZXZpbC5jb20veDox` reaches the cluster as `"image": "evil.com/x:1"`, and that is what must be
 * judged.
 */
const binaryString = new Type('tag:yaml.org,2002:binary', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && GO_STD_BASE64.test(withoutLineBreaks(data)),
  construct: (data: string) => goJsonString(Buffer.from(withoutLineBreaks(data), 'base64')),
});

/**
 * What Go's `base64.StdEncoding` accepts once line breaks are dropped: the standard alphabet,
 * padded to a multiple of 4 (encoding/base64 decodes non-strictly, so the unused bits of the last
 * character may be set).
 */
const GO_STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Go's base64 decoder skips `\r` and `\n` wherever they are (encoding/base64 decodeQuantum). */
function withoutLineBreaks(text: string): string {
  return text.replace(/[\r\n]/g, '');
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The JSON string encoding/json writes for a Go string of these bytes: valid UTF-8 as is, and
 * each byte that does not start a valid sequence replaced by one U+FFFD (encode.go appendString:
 * `utf8.DecodeRuneInString` returns RuneError with size 1). WHATWG decoders replace a truncated
 * sequence by one U+FFFD instead, so invalid input is decoded sequence by sequence here.
 */
export function goJsonString(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    let text = '';
    for (let i = 0; i < bytes.length; ) {
      const size = utf8SequenceLength(bytes, i);
      text += size === 0 ? '\ufffd' : strictUtf8.decode(bytes.subarray(i, i + size));
      i += size === 0 ? 1 : size;
    }
    return text;
  }
}

/** Length of the valid UTF-8 sequence at `i` (RFC 3629 table 3-7, as Go's utf8 package), or 0. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  const continuation = (at: number, low = 0x80, high = 0xbf) => {
    const b = bytes[at];
    return b !== undefined && b >= low && b <= high;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return continuation(i + 1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const low = b0 === 0xe0 ? 0xa0 : 0x80;
    const high = b0 === 0xed ? 0x9f : 0xbf;
    return continuation(i + 1, low, high) && continuation(i + 2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const low = b0 === 0xf0 ? 0x90 : 0x80;
    const high = b0 === 0xf4 ? 0x8f : 0xbf;
    return continuation(i + 1, low, high) && continuation(i + 2) && continuation(i + 3) ? 4 : 0;
  }
  return 0;
}

export const KUBERNETES_SCHEMA: Schema = FAILSAFE_SCHEMA.extend({
  implicit: [certainString, nullType, bool, int, float, merge],
  explicit: [binaryString],
});
