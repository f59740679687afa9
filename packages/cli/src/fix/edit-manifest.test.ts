import type { ImageFix, PullPolicy } from '@pullguard/engine';
import { describe, expect, it } from 'vitest';
import { applyFixes } from './edit-manifest.js';

/** A fix located at the n-th occurrence of `needle` (where the engine puts the image value). */
function fixAt(
  text: string,
  needle: string,
  value: PullPolicy,
  n = 0,
  field: ImageFix['field'] = 'imagePullPolicy',
): ImageFix {
  let offset = -1;
  for (let i = 0; i <= n; i++) offset = text.indexOf(needle, offset + 1);
  if (offset === -1) throw new Error(`no ${needle}`);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return {
    pointer: '/spec/containers/0/imagePullPolicy',
    field,
    value,
    objectIndex: 0,
    location: { file: 'x.yaml', line, column },
    rule: 'require-explicit-pull-policy',
    policy: 'baseline',
    reason: 'test',
  };
}

const POD = `# a pod
apiVersion: v1
kind: Pod
metadata:
  name: web   # trailing comment
spec:
  containers:
    - name: web
      image: "nginx:1.27"   # pinned later
      ports: [{containerPort: 80}]
    - image: busybox
      name: sh
`;

describe('applyFixes', () => {
  it('adds the field right after the image, at its indentation, and changes nothing else', () => {
    const out = applyFixes(POD, [
      fixAt(POD, '"nginx:1.27"', 'IfNotPresent'),
      fixAt(POD, 'busybox', 'Always'),
    ]);
    expect(out.skipped).toEqual([]);
    expect(out.text).toBe(`# a pod
apiVersion: v1
kind: Pod
metadata:
  name: web   # trailing comment
spec:
  containers:
    - name: web
      image: "nginx:1.27"   # pinned later
      imagePullPolicy: "IfNotPresent"
      ports: [{containerPort: 80}]
    - image: busybox
      imagePullPolicy: Always
      name: sh
`);
  });

  it('replaces an existing (e.g. invalid) value in place, keeping its quotes', () => {
    const text = "containers:\n  - image: app:1\n    imagePullPolicy: 'always'\n";
    expect(applyFixes(text, [fixAt(text, 'app:1', 'Always')]).text).toBe(
      "containers:\n  - image: app:1\n    imagePullPolicy: 'Always'\n",
    );
  });

  it('edits JSON with its own quoting and indentation', () => {
    const json =
      '{\n  "kind": "Pod",\n  "spec": {\n    "containers": [\n      {\n        "name": "a",\n        "image": "nginx"\n      }\n    ]\n  }\n}\n';
    const out = applyFixes(json, [fixAt(json, '"nginx"', 'Always')]).text;
    expect(out).toBe(
      '{\n  "kind": "Pod",\n  "spec": {\n    "containers": [\n      {\n        "name": "a",\n        "image": "nginx",\n        "imagePullPolicy": "Always"\n      }\n    ]\n  }\n}\n',
    );
    expect(JSON.parse(out).spec.containers[0].imagePullPolicy).toBe('Always');
  });

  it('edits a one-line flow map in place', () => {
    const text = 'containers: [{name: a, image: nginx}]\n';
    expect(applyFixes(text, [fixAt(text, 'nginx', 'Always')]).text).toBe(
      'containers: [{name: a, image: nginx, imagePullPolicy: Always}]\n',
    );
  });

  it('keeps CRLF line endings and finds containers in later documents and List items', () => {
    const text =
      'kind: List\r\nitems:\r\n  - kind: Pod\r\n    spec:\r\n      containers:\r\n        - image: a:1\r\n---\r\nkind: Pod\r\nspec:\r\n  containers:\r\n  - image: b:1\r\n';
    const out = applyFixes(text, [fixAt(text, 'a:1', 'Always'), fixAt(text, 'b:1', 'IfNotPresent')]);
    expect(out.text).toBe(
      'kind: List\r\nitems:\r\n  - kind: Pod\r\n    spec:\r\n      containers:\r\n        - image: a:1\r\n          imagePullPolicy: Always\r\n---\r\nkind: Pod\r\nspec:\r\n  containers:\r\n  - image: b:1\r\n    imagePullPolicy: IfNotPresent\r\n',
    );
  });

  it('sets pullPolicy next to reference in an image volume', () => {
    const text = 'volumes:\n  - name: v\n    image:\n      reference: quay.io/x/y:1\n';
    const out = applyFixes(text, [fixAt(text, 'quay.io', 'Always', 0, 'pullPolicy')]);
    expect(out.text).toBe(
      'volumes:\n  - name: v\n    image:\n      reference: quay.io/x/y:1\n      pullPolicy: Always\n',
    );
  });

  it('adds a final newline when the image is on the last line without one', () => {
    const text = 'containers:\n  - image: nginx';
    expect(applyFixes(text, [fixAt(text, 'nginx', 'Always')]).text).toBe(
      'containers:\n  - image: nginx\n    imagePullPolicy: Always\n',
    );
  });

  it('skips, with a reason, a fix whose container is not in the text', () => {
    const text = 'kind: ConfigMap\ndata: {}\n';
    const fix = { ...fixAt(text, 'data', 'Always'), location: undefined };
    const out = applyFixes(text, [fix]);
    expect(out.text).toBe(text);
    expect(out.skipped).toEqual([{ fix, reason: 'the container was not found in the source text' }]);
  });
});

describe('pinning images (image fixes)', () => {
  const D = `sha256:${'d'.repeat(64)}`;
  const pin = (text: string, needle: string, field: 'image' | 'reference' = 'image') => {
    const at = fixAt(text, needle, 'Always', 0, field);
    return applyFixes(text, [{ ...at, field, value: `${needle.replaceAll(/["']/g, '')}@${D}` }]);
  };

  it('replaces the value in place, in its own quoting, comments and layout kept', () => {
    for (const [text, needle] of [
      ['containers:\n  - name: web\n    image: nginx:1.25 # stable\n', 'nginx:1.25'],
      ['containers:\n  - name: web\n    image: "nginx:1.25"\n', '"nginx:1.25"'],
      ["containers:\n  - name: web\n    image: 'nginx:1.25'\n", "'nginx:1.25'"],
      ['containers: [{ name: web, image: nginx:1.25, imagePullPolicy: Always }]\n', 'nginx:1.25'],
      ['{ "containers": [ { "name": "web", "image": "nginx:1.25" } ] }\n', '"nginx:1.25"'],
    ] as const) {
      const outcome = pin(text, needle);
      expect(outcome.skipped).toEqual([]);
      const quote = needle.startsWith('"') ? '"' : needle.startsWith("'") ? "'" : '';
      expect(outcome.text).toBe(text.replace(needle, `${quote}nginx:1.25@${D}${quote}`));
    }
  });

  it("pins an image volume's reference", () => {
    const text = 'volumes:\n  - name: data\n    image:\n      reference: busybox:1\n';
    expect(pin(text, 'busybox:1', 'reference').text).toBe(text.replace('busybox:1', `busybox:1@${D}`));
  });

  it('never guesses the layout of a block scalar', () => {
    const text = 'containers:\n  - name: web\n    image: >-\n      nginx:1.25\n';
    expect(pin(text, 'nginx:1.25').skipped).toEqual([
      expect.objectContaining({ reason: 'image is a block scalar' }),
    ]);
  });
});
