import { describe, expect, it } from 'vitest';
import { loadManifestObjects, loadManifests } from './load-manifests.js';
import { WELL_KNOWN_POD_SPEC_PATHS } from './workload-kinds.js';

/** Joins lines, so that line numbers in expectations are easy to count. */
const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`;

const deployment = yaml(
  'apiVersion: apps/v1', // 1
  'kind: Deployment',
  'metadata:',
  '  name: web',
  '  namespace: shop', // 5
  '  labels: {app: web}',
  '  annotations: {owner: team-a}',
  'spec:',
  '  template:',
  '    metadata: {labels: {pod: only}}', // 10
  '    spec:',
  '      imagePullSecrets: [{name: regcred}]',
  '      initContainers:',
  '      - name: migrate',
  '        image: "acme/migrate:1.0"', // 15
  '      - name: proxy',
  '        restartPolicy: Always',
  "        image: 'envoy:v1'",
  '      containers:',
  '      - name: app', // 20
  '        image: nginx:1.25',
  '        imagePullPolicy: Always',
  '      ephemeralContainers:',
  '      - name: debug',
  '        image: busybox # a comment', // 25
  '      volumes:',
  '      - name: models',
  '        image:',
  '          reference: registry.acme.io/models:v2',
  '          pullPolicy: IfNotPresent', // 30
);

describe('loadManifests', () => {
  describe('images of a workload', () => {
    const loaded = loadManifests(deployment, { file: 'web.yaml' });
    const byName = new Map(loaded.images.map((image) => [image.container.name, image]));

    it('extracts containers, init containers, native sidecars, ephemeral containers and image volumes', () => {
      expect(loaded.errors).toEqual([]);
      expect(
        loaded.images.map((i) => [i.container.name, i.container.type, i.container.index, i.raw]),
      ).toEqual([
        ['app', 'container', 0, 'nginx:1.25'],
        ['migrate', 'init', 0, 'acme/migrate:1.0'],
        ['proxy', 'sidecar', 1, 'envoy:v1'],
        ['debug', 'ephemeral', 0, 'busybox'],
        ['models', 'volume', 0, 'registry.acme.io/models:v2'],
      ]);
    });

    it('locates each image value: 1-based line, column of its first character (the quote for quoted scalars)', () => {
      expect(byName.get('app')?.location).toEqual({ file: 'web.yaml', line: 21, column: 16 });
      expect(byName.get('migrate')?.location).toEqual({ file: 'web.yaml', line: 15, column: 16 });
      expect(byName.get('proxy')?.location).toEqual({ file: 'web.yaml', line: 18, column: 16 });
      expect(byName.get('debug')?.location).toEqual({ file: 'web.yaml', line: 25, column: 16 });
      expect(byName.get('models')?.location).toEqual({ file: 'web.yaml', line: 29, column: 22 });
    });

    it('gives JSON pointers to the image value and to the container or image volume source', () => {
      expect(byName.get('app')).toMatchObject({
        pointer: '/spec/template/spec/containers/0/image',
        containerPointer: '/spec/template/spec/containers/0',
      });
      expect(byName.get('proxy')?.pointer).toBe('/spec/template/spec/initContainers/1/image');
      expect(byName.get('models')).toMatchObject({
        pointer: '/spec/template/spec/volumes/0/image/reference',
        containerPointer: '/spec/template/spec/volumes/0/image',
      });
    });

    it('carries the workload: the object’s own labels and annotations, not the pod template’s', () => {
      const workload = byName.get('app')?.workload;
      expect(workload).toMatchObject({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'web',
        namespace: 'shop',
      });
      expect({ ...workload?.labels }).toEqual({ app: 'web' });
      expect({ ...workload?.annotations }).toEqual({ owner: 'team-a' });
      expect(byName.get('debug')?.workload).toBe(workload);
    });

    it('parses the reference and decides the pull policy as the API server defaults it', () => {
      expect(byName.get('app')).toMatchObject({
        reference: { name: 'docker.io/library/nginx', tag: '1.25' },
        referenceError: undefined,
        pullPolicy: { declared: 'Always', effective: 'Always', explicit: true },
      });
      expect(byName.get('debug')?.pullPolicy).toMatchObject({
        declared: undefined,
        effective: 'Always',
        explicit: false,
      });
      expect(byName.get('migrate')?.pullPolicy).toMatchObject({ effective: 'IfNotPresent', explicit: false });
      expect(byName.get('models')?.pullPolicy).toMatchObject({
        declared: 'IfNotPresent',
        effective: 'IfNotPresent',
      });
    });

    it('lists the pod’s imagePullSecrets on every image', () => {
      for (const image of loaded.images) expect(image.imagePullSecrets).toEqual(['regcred']);
    });

    it('describes the object', () => {
      expect(loaded.objects).toEqual([
        expect.objectContaining({
          index: 0,
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'web',
          namespace: 'shop',
          workload: true,
          location: { file: 'web.yaml', line: 1, column: 1 },
        }),
      ]);
    });
  });

  it('reports an image that does not parse with the parser’s reason, and keeps it', () => {
    const loaded = loadManifests(
      yaml(
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: p}',
        'spec:',
        '  containers:',
        '  - {name: c, image: "Nginx:1"}',
      ),
    );
    expect(loaded.images[0]).toMatchObject({
      raw: 'Nginx:1',
      reference: undefined,
      referenceError: { code: 'INVALID_IMAGE_REFERENCE', message: expect.stringContaining('Nginx:1') },
    });
  });

  describe('workload kinds', () => {
    const pod = (apiVersion: string, kind: string, specPath: string[]) => {
      let body = '{containers: [{name: c, image: nginx}]}';
      for (const key of [...specPath].reverse()) body = `{${key}: ${body}}`;
      return `---\napiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x}\n${body.slice(1, -1)}\n`;
    };

    it.each([
      ['v1', 'Pod', ['spec'], '/spec/containers/0/image'],
      ['v1', 'ReplicationController', ['spec', 'template', 'spec'], '/spec/template/spec/containers/0/image'],
      ['v1', 'PodTemplate', ['template', 'spec'], '/template/spec/containers/0/image'],
      ['apps/v1', 'StatefulSet', ['spec', 'template', 'spec'], '/spec/template/spec/containers/0/image'],
      ['apps/v1', 'DaemonSet', ['spec', 'template', 'spec'], '/spec/template/spec/containers/0/image'],
      ['apps/v1', 'ReplicaSet', ['spec', 'template', 'spec'], '/spec/template/spec/containers/0/image'],
      ['apps/v1beta2', 'Deployment', ['spec', 'template', 'spec'], '/spec/template/spec/containers/0/image'],
      [
        'extensions/v1beta1',
        'DaemonSet',
        ['spec', 'template', 'spec'],
        '/spec/template/spec/containers/0/image',
      ],
      ['batch/v1', 'Job', ['spec', 'template', 'spec'], '/spec/template/spec/containers/0/image'],
      [
        'batch/v1',
        'CronJob',
        ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
        '/spec/jobTemplate/spec/template/spec/containers/0/image',
      ],
      [
        'batch/v1beta1',
        'CronJob',
        ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
        '/spec/jobTemplate/spec/template/spec/containers/0/image',
      ],
    ])('reads %s %s at its pod spec', (apiVersion, kind, path, pointer) => {
      const loaded = loadManifests(pod(apiVersion, kind, path));
      expect(loaded.errors).toEqual([]);
      expect(loaded.images.map((i) => i.pointer)).toEqual([pointer]);
      expect(loaded.objects[0]?.workload).toBe(true);
    });

    it('does not take a kind named like a core workload in another API group for one', () => {
      const loaded = loadManifests(pod('example.com/v1', 'Deployment', ['spec', 'template', 'spec']));
      expect(loaded.images).toEqual([]);
      expect(loaded.objects[0]?.workload).toBe(false);
    });

    it('skips objects that merely contain `image:` fields: CRD schemas, custom resources, ConfigMaps', () => {
      const loaded = loadManifests(
        yaml(
          'apiVersion: monitoring.coreos.com/v1',
          'kind: Prometheus',
          'metadata: {name: k8s}',
          'spec: {image: quay.io/prometheus/prometheus:v2}',
          '---',
          'apiVersion: v1',
          'kind: ConfigMap',
          'metadata: {name: c}',
          'data: {template: "image: evil"}',
          '---',
          'apiVersion: v1',
          'kind: Pod',
          'metadata: {name: p}',
          'spec:',
          '  volumes: [{name: r, rbd: {image: foo}}]',
          '  containers: [{name: c, image: nginx, args: ["--image=x"]}]',
        ),
      );
      expect(loaded.errors).toEqual([]);
      expect(loaded.images.map((i) => i.raw)).toEqual(['nginx']);
      expect(loaded.objects.map((o) => o.workload)).toEqual([false, false, true]);
    });

    it('reads extra kinds at the pod spec paths the caller gives, e.g. the well-known preset', () => {
      const text = yaml(
        'apiVersion: serving.knative.dev/v1',
        'kind: Service',
        'metadata: {name: hello}',
        'spec: {template: {spec: {containers: [{image: ko://knative.dev/hello}]}}}',
        '---',
        'apiVersion: argoproj.io/v1alpha1',
        'kind: Rollout',
        'metadata: {name: r}',
        'spec: {template: {spec: {containers: [{name: c, image: "acme/r:1"}]}}}',
      );
      expect(loadManifests(text).images).toEqual([]);
      const loaded = loadManifests(text, { podSpecPaths: WELL_KNOWN_POD_SPEC_PATHS });
      expect(loaded.images.map((i) => [i.workload.kind, i.raw])).toEqual([
        ['Service', 'ko://knative.dev/hello'],
        ['Rollout', 'acme/r:1'],
      ]);
      const anyGroup = loadManifests(text, { podSpecPaths: { Rollout: ['spec', 'template', 'spec'] } });
      expect(anyGroup.images.map((i) => i.workload.kind)).toEqual(['Rollout']);
    });

    it('never lets a group-less extra kind re-route a core kind', () => {
      const loaded = loadManifests(pod('v1', 'Pod', ['spec']), { podSpecPaths: { Pod: ['nowhere'] } });
      expect(loaded.images).toHaveLength(1);
    });
  });

  describe('Lists', () => {
    it('unpacks `kind: List` items and counts each item as an object, locating each', () => {
      const loaded = loadManifests(
        yaml(
          'apiVersion: v1',
          'kind: List',
          'items:',
          '- apiVersion: v1',
          '  kind: ServiceAccount',
          '  metadata: {name: sa}',
          '- apiVersion: v1',
          '  kind: Pod',
          '  metadata: {name: p}',
          '  spec: {containers: [{name: c, image: nginx}]}',
        ),
        { file: 'list.yaml' },
      );
      expect(loaded.objects.map((o) => [o.index, o.kind, o.name, o.location?.line])).toEqual([
        [0, 'ServiceAccount', 'sa', 4],
        [1, 'Pod', 'p', 7],
      ]);
      expect(loaded.images[0]).toMatchObject({ objectIndex: 1, pointer: '/spec/containers/0/image' });
      expect(loaded.images[0]?.location).toEqual({ file: 'list.yaml', line: 10, column: 40 });
    });

    it('infers kind and apiVersion of typed list items (PodList, RoleList) as the API server returns them', () => {
      const loaded = loadManifests(
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'PodList',
          items: [{ metadata: { name: 'a' }, spec: { containers: [{ name: 'c', image: 'redis:7' }] } }],
        }),
      );
      expect(loaded.errors).toEqual([]);
      expect(loaded.objects.map((o) => [o.apiVersion, o.kind, o.name])).toEqual([['v1', 'Pod', 'a']]);
      expect(loaded.images.map((i) => i.raw)).toEqual(['redis:7']);
    });

    it('reports List items that are not objects, and keeps the others', () => {
      const loaded = loadManifestObjects({
        apiVersion: 'v1',
        kind: 'List',
        items: ['oops', { apiVersion: 'v1', kind: 'Secret' }],
      });
      expect(loaded.errors).toEqual([expect.objectContaining({ code: 'NOT_AN_OBJECT', field: '/items/0' })]);
      expect(loaded.objects.map((o) => o.kind)).toEqual(['Secret']);
    });
  });

  it('collects Namespace objects (core group only) with their labels', () => {
    const loaded = loadManifests(
      yaml(
        'apiVersion: v1',
        'kind: Namespace',
        'metadata: {name: prod, labels: {env: prod}}',
        '---',
        'apiVersion: example.com/v1',
        'kind: Namespace',
        'metadata: {name: fake}',
      ),
    );
    expect(loaded.namespaces.map((n) => [n.name, { ...n.labels }])).toEqual([['prod', { env: 'prod' }]]);
  });

  describe('documents and JSON', () => {
    it('skips empty documents (`---` alone, comments only) silently and counts objects across documents', () => {
      const loaded = loadManifests(
        yaml(
          '---',
          '# just a comment',
          '---',
          '---',
          'apiVersion: v1',
          'kind: Pod',
          'metadata: {name: p}',
          '...',
          '---',
        ),
      );
      expect(loaded.errors).toEqual([]);
      expect(loaded.objects.map((o) => o.location?.line)).toEqual([5]);
    });

    it('locates values in files with CRLF line ends', () => {
      const loaded = loadManifests(
        'apiVersion: v1\r\nkind: Pod\r\nmetadata: {name: p}\r\nspec:\r\n  containers:\r\n  - name: c\r\n    image: nginx\r\n',
      );
      expect(loaded.images[0]?.location).toEqual({ file: undefined, line: 7, column: 12 });
    });

    it('locates the scalar itself when the value has an anchor or a tag, and an alias where it is written', () => {
      const loaded = loadManifests(
        yaml(
          'apiVersion: v1',
          'kind: Pod',
          'metadata: {name: p}',
          'spec:',
          '  containers:',
          '  - {name: a, image: &img !!str "nginx:1"}',
          '  - {name: b, image: *img}',
        ),
      );
      expect(loaded.images.map((i) => [i.raw, i.location?.line, i.location?.column])).toEqual([
        ['nginx:1', 6, 33],
        ['nginx:1', 7, 22],
      ]);
    });

    it('reads JSON and locates values in it', () => {
      const text =
        '{\n  "apiVersion": "v1", "kind": "Pod",\n  "metadata": {"name": "p"},\n  "spec": {"containers": [{"name": "c", "image": "nginx:1"}]}\n}\n';
      const loaded = loadManifests(text, { file: 'pod.json' });
      expect(loaded.images[0]?.location).toEqual({ file: 'pod.json', line: 4, column: 50 });
    });

    it('keeps YAML 1.1-looking scalars that go-yaml reads as strings (`=`, dates) as strings', () => {
      const loaded = loadManifests(
        yaml(
          'apiVersion: v1',
          'kind: ConfigMap',
          'metadata: {name: c, annotations: {op: =, day: 2024-01-01}}',
        ),
      );
      expect(loaded.errors).toEqual([]);
      expect(loaded.objects[0]?.object).toMatchObject({
        metadata: { annotations: { op: '=', day: '2024-01-01' } },
      });
    });

    it('resolves merge keys (`<<`), which go-yaml supports', () => {
      const loaded = loadManifests(
        yaml(
          'apiVersion: v1',
          'kind: Pod',
          'metadata: {name: p}',
          'spec:',
          '  containers:',
          '  - &base {name: a, image: "acme/a:1", imagePullPolicy: Always}',
          '  - <<: *base',
          '    name: b',
        ),
      );
      expect(loaded.images.map((i) => [i.container.name, i.raw, i.pullPolicy.declared])).toEqual([
        ['a', 'acme/a:1', 'Always'],
        ['b', 'acme/a:1', 'Always'],
      ]);
    });

    it('treats `__proto__` and `constructor` keys as plain data and pollutes nothing', () => {
      const loaded = loadManifests(
        yaml(
          'apiVersion: v1',
          'kind: Pod',
          'metadata:',
          '  name: p',
          '  labels: {__proto__: {polluted: 1}, constructor: x}',
          '__proto__: {polluted: 1}',
          'spec: {containers: [{name: c, image: nginx, __proto__: {image: evil}}]}',
        ),
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      const object = loaded.objects[0]!.object;
      expect(Object.getOwnPropertyDescriptor(object, '__proto__')?.value).toEqual({ polluted: 1 });
      expect(loaded.images.map((i) => i.raw)).toEqual(['nginx']);
      const labels = loaded.images[0]!.workload.labels;
      expect(Object.hasOwn(labels, 'constructor')).toBe(true);
      expect(Object.getPrototypeOf(labels)).toBeNull();
      // A non-string label value is an error; the object's other labels survive.
      expect(loaded.errors).toEqual([
        expect.objectContaining({ code: 'INVALID_FIELD', field: '/metadata/labels/__proto__' }),
      ]);
    });

    it('never reads inherited properties for absent fields (a pod spec path through `constructor`)', () => {
      const loaded = loadManifests(yaml('apiVersion: x.io/v1', 'kind: Thing', 'metadata: {name: t}'), {
        podSpecPaths: { 'x.io/Thing': ['constructor', 'prototype'] },
      });
      expect(loaded.errors).toEqual([]);
      expect(loaded.images).toEqual([]);
    });

    it('uses the last value of a duplicate key, as Kubernetes does when it accepts the object, and warns', () => {
      const loaded = loadManifests(
        yaml(
          'apiVersion: v1',
          'kind: Pod',
          'metadata: {name: p}',
          'spec:',
          '  containers:',
          '  - name: c',
          '    image: good',
          '    image: evil',
        ),
        { file: 'dup.yaml' },
      );
      expect(loaded.images.map((i) => [i.raw, i.location?.line])).toEqual([['evil', 8]]);
      expect(loaded.errors).toEqual([]);
      expect(loaded.warnings).toEqual([
        expect.objectContaining({
          code: 'YAML_SYNTAX',
          severity: 'warning',
          message: expect.stringContaining('duplicate key image'),
          location: { file: 'dup.yaml', line: 8, column: 5 },
        }),
      ]);
    });
  });

  describe('bad input', () => {
    it('reports a syntax error with its line and still loads the documents before and after it', () => {
      const good = (name: string) =>
        `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {containers: [{name: c, image: nginx}]}\n`;
      const text = `${good('one')}---\n${good('two')}---\nkind: Pod\nmetadata: [unclosed\n---\n${good('four')}---\n${good('five')}`;
      const loaded = loadManifests(text, { file: 'five.yaml' });
      expect(loaded.objects.map((o) => o.name)).toEqual(['one', 'two', 'four', 'five']);
      expect(loaded.errors).toEqual([
        expect.objectContaining({
          code: 'YAML_SYNTAX',
          severity: 'error',
          location: expect.objectContaining({ file: 'five.yaml', line: 12 }),
        }),
      ]);
      expect(loaded.images.map((i) => i.location?.line)).toEqual([4, 9, 17, 22]);
    });

    it('reports JSON syntax errors in .json files as JSON_SYNTAX', () => {
      const loaded = loadManifests('{\n  "kind": "Pod",\n  "apiVersion": "v1"\n  "metadata": {}\n}\n', {
        file: 'pod.json',
      });
      expect(loaded.errors).toEqual([
        expect.objectContaining({ code: 'JSON_SYNTAX', location: expect.objectContaining({ line: 4 }) }),
      ]);
    });

    it.each([
      ['a value', 'replicas: {{ .Values.replicas }}', 2],
      ['a block', '{{- if .Values.enabled }}', 2],
      ['an include', 'metadata:\n  name: {{ include "app.fullname" . }}', 3],
    ])(
      'recognizes an unrendered Helm/Go template (%s) and says to render it first',
      (_, line, templateLine) => {
        const loaded = loadManifests(`apiVersion: apps/v1\n${line}\nkind: Deployment\n`, {
          file: 'chart.yaml',
        });
        expect(loaded.errors).toEqual([
          expect.objectContaining({
            code: 'TEMPLATE_NOT_RENDERED',
            message: expect.stringContaining('render it with helm template'),
            location: expect.objectContaining({ file: 'chart.yaml', line: templateLine }),
          }),
        ]);
      },
    );

    it('reports a quoted template in an image field as unrendered, and still extracts the image', () => {
      const loaded = loadManifests(
        yaml(
          'apiVersion: v1',
          'kind: Pod',
          'metadata: {name: p}',
          'spec:',
          '  containers:',
          '  - {name: c, image: "{{ .Values.image }}"}',
        ),
        { file: 'pod.yaml' },
      );
      expect(loaded.errors).toEqual([
        expect.objectContaining({
          code: 'TEMPLATE_NOT_RENDERED',
          location: { file: 'pod.yaml', line: 6, column: 22 },
          field: '/spec/containers/0/image',
        }),
      ]);
      expect(loaded.images.map((i) => i.raw)).toEqual(['{{ .Values.image }}']);
    });

    it('does not mistake Go templates inside strings (ConfigMaps, quoted values) for an unrendered file', () => {
      const loaded = loadManifests(
        yaml(
          'apiVersion: v1',
          'kind: ConfigMap',
          'metadata: {name: "{{ x }}"}',
          'data:',
          '  t: |',
          '    image: {{ .Values.image }}',
        ),
      );
      expect(loaded.errors).toEqual([]);
      expect(loaded.objects).toHaveLength(1);
    });

    it.each([
      ['a string', '"just a string"', 'a string'],
      ['a list', '- apiVersion: v1\n  kind: Pod', 'a list'],
      ['a number', '42', 'a number (42)'],
    ])('reports a document that is %s as NOT_AN_OBJECT', (_, text, what) => {
      const loaded = loadManifests(`---\n${text}\n`, { file: 'f.yaml' });
      expect(loaded.errors).toEqual([
        expect.objectContaining({
          code: 'NOT_AN_OBJECT',
          message: expect.stringContaining(`the document is ${what}`),
          location: { file: 'f.yaml', line: 2, column: 1 },
        }),
      ]);
    });

    it('reports a missing kind or apiVersion as MISSING_KIND at the object', () => {
      const loaded = loadManifests('apiVersion: v1\nmetadata: {name: x}\n---\nkind: Pod\n', {
        file: 'f.yaml',
      });
      expect(loaded.errors.map((e) => [e.code, e.field, e.location?.line])).toEqual([
        ['MISSING_KIND', '/kind', 1],
        ['MISSING_KIND', '/apiVersion', 4],
      ]);
      expect(loaded.objects).toEqual([]);
    });

    it('reports fields of the wrong type as INVALID_FIELD with the field and the best location', () => {
      const loaded = loadManifests(
        yaml(
          'apiVersion: v1',
          'kind: Pod',
          'metadata: {name: p}',
          'spec:',
          '  imagePullSecrets: regcred',
          '  initContainers: {name: x}',
          '  containers:',
          '  - name: a',
          '    image: 1.20',
          '  - name: b',
          '    image: ok:1',
          '    imagePullPolicy: [Always]',
          '  - just-a-string',
        ),
        { file: 'p.yaml' },
      );
      expect(loaded.errors.map((e) => [e.code, e.field, e.location?.line])).toEqual([
        ['INVALID_FIELD', '/spec/imagePullSecrets', 1],
        ['INVALID_FIELD', '/spec/containers/0/image', 9],
        ['INVALID_FIELD', '/spec/containers/1/imagePullPolicy', 1],
        ['INVALID_FIELD', '/spec/containers/2', 1],
        ['INVALID_FIELD', '/spec/initContainers', 1],
      ]);
      expect(loaded.errors[1]?.message).toContain(
        'must be a string, not a number (1.2): YAML read the unquoted value as a number, quote it',
      );
      expect(loaded.images.map((i) => [i.raw, i.pullPolicy.declared])).toEqual([['ok:1', undefined]]);
    });

    it('skips containers without an image (strategic-merge patches) and workloads without a pod spec', () => {
      const loaded = loadManifests(
        yaml(
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: {name: patch}',
          'spec: {template: {spec: {containers: [{name: app, resources: {}}]}}}',
          '---',
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: {name: gone}',
          '$patch: delete',
        ),
      );
      expect(loaded.errors).toEqual([]);
      expect(loaded.images).toEqual([]);
      expect(loaded.objects).toHaveLength(2);
    });
  });

  describe('limits', () => {
    it('refuses documents larger than maxDocumentBytes, and keeps the others', () => {
      const big = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {x: "${'a'.repeat(200)}"}\n`;
      const loaded = loadManifests(`${big}---\napiVersion: v1\nkind: Secret\n`, {
        limits: { maxDocumentBytes: 100 },
      });
      expect(loaded.errors).toEqual([
        expect.objectContaining({
          code: 'DOCUMENT_TOO_LARGE',
          location: expect.objectContaining({ line: 1 }),
        }),
      ]);
      expect(loaded.objects.map((o) => o.kind)).toEqual(['Secret']);
    });

    it('stops "billion laughs": aliases count with the aliases inside what they expand to', () => {
      const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
      for (let level = 1; level <= 8; level++) {
        const prev = String.fromCharCode(96 + level);
        const name = String.fromCharCode(97 + level);
        lines.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
      }
      const loaded = loadManifests(yaml(...lines), { file: 'lol.yaml' });
      expect(loaded.errors).toEqual([
        expect.objectContaining({ code: 'TOO_MANY_ALIASES', location: expect.objectContaining({ line: 4 }) }),
      ]);
    });

    it('accepts a few aliases', () => {
      const loaded = loadManifests(
        yaml('apiVersion: v1', 'kind: ConfigMap', 'metadata: &m {name: c}', 'data: {a: *m}'),
        {
          limits: { maxAliases: 1 },
        },
      );
      expect(loaded.errors).toEqual([]);
    });

    it('refuses absurd nesting under the default limits without overflowing the stack', () => {
      const loaded = loadManifests(`a: ${'['.repeat(100_000)}\n`);
      expect(loaded.errors).toEqual([expect.objectContaining({ code: 'TOO_DEEP' })]);
    });

    it('refuses nesting deeper than maxDepth maps and lists', () => {
      const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const limits = { maxDepth: 10 };
      // The document's mapping is the first level.
      expect(
        loadManifests(`apiVersion: v1\nkind: ConfigMap\ndata: ${nested(9)}\n`, { limits }).errors,
      ).toEqual([]);
      expect(
        loadManifests(`apiVersion: v1\nkind: ConfigMap\ndata: ${nested(10)}\n`, { limits }).errors,
      ).toEqual([expect.objectContaining({ code: 'TOO_DEEP' })]);
    });
  });
});

describe('loadManifestObjects', () => {
  it('extracts the same images from objects given as data, without locations', () => {
    const objects = [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: { containers: [{ name: 'c', image: 'nginx:1' }] },
      },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod', labels: { env: 'prod' } } },
    ];
    const loaded = loadManifestObjects(objects);
    expect(loaded.images).toEqual([
      expect.objectContaining({
        raw: 'nginx:1',
        pointer: '/spec/containers/0/image',
        location: undefined,
        objectIndex: 0,
      }),
    ]);
    expect(loaded.objects.map((o) => o.location)).toEqual([undefined, undefined]);
    expect(loaded.namespaces.map((n) => n.name)).toEqual(['prod']);
  });

  it('accepts a single object', () => {
    expect(
      loadManifestObjects({ apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ image: 'a' }] } }).images,
    ).toHaveLength(1);
  });

  it('reports non-objects, missing kinds and bad fields with field paths into the input', () => {
    const loaded = loadManifestObjects([
      'nope',
      { apiVersion: 'v1' },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: { containers: [{ name: 'c', image: 7 }] },
      },
    ]);
    expect(loaded.errors.map((e) => [e.code, e.field, e.location])).toEqual([
      ['NOT_AN_OBJECT', '/0', undefined],
      ['MISSING_KIND', '/1/kind', undefined],
      ['INVALID_FIELD', '/2/spec/containers/0/image', undefined],
    ]);
  });

  it('escapes JSON pointer segments (RFC 6901) in pod spec paths', () => {
    const loaded = loadManifestObjects(
      {
        apiVersion: 'x.io/v1',
        kind: 'Odd',
        spec: { 'a/b~c': { containers: [{ name: 'c', image: 'nginx' }] } },
      },
      { podSpecPaths: { 'x.io/Odd': ['spec', 'a/b~c'] } },
    );
    expect(loaded.images[0]?.pointer).toBe('/spec/a~1b~0c/containers/0/image');
  });
});
