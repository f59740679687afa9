/**
 * Manifests for the fuzz suites, generated with the images they hold known: workloads of every
 * kind pullguard reads (Lists of them too), written as YAML the way people and tools write it —
 * block and flow style, every scalar style, `!!str` and `!!binary` (which kubectl decodes),
 * anchors, aliases and merge keys, comments, CRLF, a byte order mark, JSON — beside documents that
 * hold no workload (a ConfigMap with a large value, a Namespace, a custom resource) and, in some
 * inputs, a document pullguard must refuse (nested too deep, an alias bomb, a value too large, a
 * tag kubectl would not decode as a string, an image that is not a string, a syntax error).
 *
 * What is known about each input is what the fuzz properties check: a clean input is read without
 * errors and every image in it is judged (nothing hidden is skipped); an input with a refused
 * document has the verdict `error`.
 */
import fc from 'fast-check';

export interface GeneratedManifests {
  text: string;
  /** The images of the workloads in `text`, as the API server would receive them. */
  images: string[];
  /** What in `text` must be reported as an error (undefined: nothing, the input is clean). */
  refused: string | undefined;
}

// --- the objects ---------------------------------------------------------------------------------

const IMAGES = [
  'nginx',
  'nginx:1.25',
  'nginx:latest',
  'library/nginx:1.27-alpine',
  'registry.acme.io/shop/web:2.1',
  `registry.acme.io/shop/web@sha256:${'a'.repeat(64)}`,
  `ghcr.io/acme/app:v1@sha256:${'b'.repeat(64)}`,
  'evil.com:443/x',
  'DOCKER.IO/nginx',
  'registry-1.docker.io/library/nginx',
  'localhost:5000/app',
  '[::1]:5000/app:1',
  'busybox',
  'vault.payments.acme.io/api:3',
  // Invalid references: judged by invalid-image.
  'Nginx:1',
  'nginx:',
  'nginx@sha256:abc',
  'ko://github.com/acme/app',
  'a b',
  ' nginx',
  'nginx:1.25 # not a comment',
  'ünïcode/x',
  'nginx\ttab',
];
const image = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(...IMAGES) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 129, max: 70_000 }).map((n) => `registry.acme.io/${'a'.repeat(n)}`),
  },
);

interface Container {
  name: string;
  image: string;
  imagePullPolicy?: string;
}

const container = (prefix: string): fc.Arbitrary<Container> =>
  fc
    .tuple(
      fc.nat({ max: 99 }),
      image,
      fc.option(fc.constantFrom('Always', 'IfNotPresent', 'Never'), { nil: undefined }),
    )
    .map(([n, img, pull]) => ({
      name: `${prefix}${n}`,
      image: img,
      ...(pull === undefined ? {} : { imagePullPolicy: pull }),
    }));

const podSpec = fc
  .record({
    containers: fc.array(container('c'), { minLength: 1, maxLength: 3 }),
    initContainers: fc.array(container('i'), { maxLength: 2 }),
    ephemeralContainers: fc.array(container('e'), { maxLength: 1 }),
    volumeImages: fc.array(image, { maxLength: 1 }),
  })
  .map(({ containers, initContainers, ephemeralContainers, volumeImages }) => {
    const spec: Record<string, unknown> = { containers };
    if (initContainers.length > 0) spec['initContainers'] = initContainers;
    if (ephemeralContainers.length > 0) spec['ephemeralContainers'] = ephemeralContainers;
    if (volumeImages.length > 0) {
      spec['volumes'] = volumeImages.map((reference, i) => ({
        name: `v${i}`,
        image: { reference, pullPolicy: 'IfNotPresent' },
      }));
    }
    const images = [...containers, ...initContainers, ...ephemeralContainers]
      .map((c) => c.image)
      .concat(volumeImages);
    return { spec, images };
  });

/** Where each kind keeps its pod spec (k8s.io/api v0.34). */
const KINDS: readonly { apiVersion: string; kind: string; path: readonly string[] }[] = [
  { apiVersion: 'v1', kind: 'Pod', path: ['spec'] },
  { apiVersion: 'v1', kind: 'ReplicationController', path: ['spec', 'template', 'spec'] },
  { apiVersion: 'v1', kind: 'PodTemplate', path: ['template', 'spec'] },
  { apiVersion: 'apps/v1', kind: 'Deployment', path: ['spec', 'template', 'spec'] },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', path: ['spec', 'template', 'spec'] },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', path: ['spec', 'template', 'spec'] },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', path: ['spec', 'template', 'spec'] },
  { apiVersion: 'batch/v1', kind: 'Job', path: ['spec', 'template', 'spec'] },
  { apiVersion: 'batch/v1', kind: 'CronJob', path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] },
];

/** A workload object and its images. */
export const workload = fc
  .tuple(
    fc.constantFrom(...KINDS),
    fc.nat({ max: 999 }),
    fc.option(fc.constantFrom('prod-a', 'team-payments', 'dev-x', 'default', 'prod-sandbox', 'elsewhere'), {
      nil: undefined,
    }),
    podSpec,
  )
  .map(([kind, n, namespace, { spec, images }]) => {
    let body: Record<string, unknown> = spec;
    for (const key of [...kind.path].reverse()) body = { [key]: body };
    const metadata = { name: `w${n}`, ...(namespace === undefined ? {} : { namespace }) };
    return { object: { apiVersion: kind.apiVersion, kind: kind.kind, metadata, ...body }, images };
  });

/** Documents with no workload in them: nothing to judge, nothing to refuse. */
const bystander = fc.oneof(
  fc.integer({ min: 1, max: 200_000 }).map((n) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'big' },
    data: { blob: 'x'.repeat(n), image: 'evil.com/not-a-container:1' },
  })),
  fc.constant({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'dev-x', labels: { env: 'dev', team: 'storefront' } },
  }),
  fc.constant({
    apiVersion: 'acme.io/v1',
    kind: 'Widget',
    metadata: { name: 'w' },
    spec: { image: 'evil.com/x:1', containers: [{ image: 'evil.com/y' }] },
  }),
  fc.constant({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    stringData: { '.dockerconfigjson': '{}' },
  }),
);

// --- writing them as YAML --------------------------------------------------------------------------

type Pick = <T>(arb: fc.Arbitrary<T>) => T;
const pickFrom =
  (g: fc.GeneratorValue): Pick =>
  (arb) =>
    g(() => arb);

/** Can `value` be written unquoted, and read back as that string by YAML 1.1 (kubectl's) and 1.2? */
function plainSafe(value: string, flow: boolean): boolean {
  return (
    /^[\x21-\x7e]+$/.test(value) &&
    !/^(?:y|n|yes|no|on|off|true|false|null|~)$/i.test(value) &&
    !/^[-+.0-9!&*?|>'"%@`{}[\],#]/.test(value) &&
    !value.endsWith(':') &&
    !(flow && /[,[\]{}]/.test(value))
  );
}

function scalar(value: string, pick: Pick, flow: boolean): string {
  const styles = ['double', 'single', '!!str', '!!binary'];
  if (plainSafe(value, flow)) styles.push('plain', 'plain');
  if (!flow && /^[\x21-\x7e][\x20-\x7e]*[\x21-\x7e]$/.test(value)) styles.push('literal');
  const style = pick(fc.constantFrom(...styles));
  switch (style) {
    case 'plain':
      return value;
    case 'single':
      return `'${value.replaceAll("'", "''")}'`;
    case '!!str':
      return `!!str ${JSON.stringify(value)}`;
    case '!!binary':
      return `!!binary ${Buffer.from(value, 'utf8').toString('base64')}`;
    case 'literal':
      return `|-\n${INDENT_MARK}${value}`;
    default:
      return JSON.stringify(value);
  }
}

/** Replaced by the indentation of the line a literal block scalar continues. */
const INDENT_MARK = '\u0000INDENT\u0000';

interface Writer {
  pick: Pick;
  anchors: number;
}

/** `value` as YAML lines at `indent`, in block style with some maps and lists in flow style. */
function block(value: unknown, indent: string, w: Writer): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}[]`];
    return value.flatMap((item) => {
      const lines = isComposite(item)
        ? blockOrFlow(item, `${indent}  `, w)
        : [`${indent}  ${leaf(item, indent, w)}`];
      const first = lines[0]!.slice(indent.length + 2);
      return [`${indent}- ${first}`, ...lines.slice(1)];
    });
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return [`${indent}{}`];
  const lines: string[] = [];
  for (const [key, item] of entries) {
    const k = w.pick(fc.constantFrom(key, key, JSON.stringify(key)));
    if (w.pick(fc.nat({ max: 9 })) === 0) lines.push(`${indent}# ${key}: a comment`);
    if (isComposite(item) && !isEmpty(item)) {
      const nested = blockOrFlow(item, `${indent}  `, w);
      if (nested.length === 1 && /^[[{]/.test(nested[0]!.trimStart()))
        lines.push(`${indent}${k}: ${nested[0]!.trimStart()}`);
      else lines.push(`${indent}${k}:`, ...nested);
    } else {
      lines.push(`${indent}${k}: ${leaf(item, indent, w)}`);
    }
  }
  return lines;
}

function blockOrFlow(value: unknown, indent: string, w: Writer): string[] {
  return w.pick(fc.nat({ max: 4 })) === 0 ? [`${indent}${flow(value, w)}`] : block(value, indent, w);
}

function flow(value: unknown, w: Writer): string {
  if (Array.isArray(value)) return `[${value.map((v) => flow(v, w)).join(', ')}]`;
  if (isComposite(value)) {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${JSON.stringify(k)}: ${flow(v, w)}`)
      .join(', ')}}`;
  }
  return typeof value === 'string' ? scalar(value, w.pick, true) : JSON.stringify(value);
}

function leaf(value: unknown, indent: string, w: Writer): string {
  if (isComposite(value)) return flow(value, w);
  if (typeof value !== 'string') return JSON.stringify(value);
  return scalar(value, w.pick, false).replace(INDENT_MARK, `${indent}  `);
}

const isComposite = (v: unknown): v is object => v !== null && typeof v === 'object';
const isEmpty = (v: object) => Object.keys(v).length === 0;

/**
 * A workload's YAML, sometimes with its first container anchored and repeated by alias, or merged
 * into another container that overrides its name and image (both kubectl's YAML library reads).
 * Returns the images as the API server would see them.
 */
function workloadYaml(
  object: Record<string, unknown>,
  images: string[],
  w: Writer,
): { lines: string[]; images: string[] } {
  const lines = block(object, '', w);
  const sharing = w.pick(fc.constantFrom('none', 'none', 'alias', 'merge'));
  const at = lines.findIndex((l) => /^\s*(?:"containers"|containers):$/.test(l));
  if (sharing === 'none' || at === -1 || !lines[at + 1]?.trimStart().startsWith('- '))
    return { lines, images };
  const indent = lines[at + 1]!.slice(0, lines[at + 1]!.indexOf('-'));
  const anchor = `c${w.anchors++}`;
  lines[at + 1] = `${indent}- &${anchor}\n${indent}  ${lines[at + 1]!.slice(indent.length + 2)}`;
  // The alias or merge comes after the anchored container (an alias refers back only).
  let end = at + 2;
  while (end < lines.length && lines[end]!.startsWith(`${indent}  `)) end++;
  const firstImage = firstContainer(object)['image'] as string;
  if (sharing === 'alias') {
    lines.splice(end, 0, `${indent}- *${anchor}`);
    return { lines, images: [...images, firstImage] };
  }
  const override = w.pick(image);
  lines.splice(
    end,
    0,
    `${indent}- <<: *${anchor}`,
    `${indent}  name: merged`,
    `${indent}  image: ${JSON.stringify(override)}`,
  );
  return { lines, images: [...images, override] };
}

/** The first container of a workload object, wherever its kind keeps the pod spec. */
export function firstContainer(object: Record<string, unknown>): Record<string, unknown> {
  let node: unknown = object;
  while (node !== null && typeof node === 'object' && !('containers' in node)) {
    node = Object.values(node).find(
      (v) => v !== null && typeof v === 'object' && JSON.stringify(v).includes('"containers"'),
    );
  }
  return (node as { containers: Record<string, unknown>[] }).containers[0]!;
}

// --- documents pullguard must refuse -------------------------------------------------------------

const refusal = fc.constantFrom(
  {
    why: 'nested deeper than 100 levels',
    text: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: ${'['.repeat(120)}x${']'.repeat(120)}\n`,
  },
  {
    why: 'an alias bomb',
    text: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`,
  },
  {
    why: 'a tag kubectl does not read as a string',
    text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: tagged}\nspec:\n  containers:\n  - name: a\n    image: !!timestamp 2024-01-01\n',
  },
  {
    why: 'a local tag',
    text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: tagged}\nspec:\n  containers:\n  - name: a\n    image: !secret evil.com/x:1\n',
  },
  {
    why: 'an image that is not a string',
    text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: typed}\nspec:\n  containers:\n  - name: a\n    image: 1.25\n',
  },
  {
    why: 'containers that are not a list',
    text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: typed}\nspec:\n  containers: {name: a, image: evil.com/x}\n',
  },
  {
    why: 'a syntax error',
    text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: broken\nspec:\n  containers:\n  - name: a\n    image: evil.com/x\n',
  },
  {
    why: 'a document larger than 3 MiB',
    text: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: huge}\ndata:\n  x: ${'y'.repeat(3 * 1024 * 1024 + 10)}\n`,
  },
);

// --- whole inputs ---------------------------------------------------------------------------------

/** A multi-document YAML (or JSON) input with the images of its workloads and what it must refuse. */
export const manifests: fc.Arbitrary<GeneratedManifests> = fc
  .tuple(
    fc.array(
      fc.oneof(
        { weight: 3, arbitrary: workload.map((w) => ({ ...w, bystander: false })) },
        bystander.map((object) => ({ object, images: [] as string[], bystander: true })),
      ),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
    fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: refusal }),
    fc.constantFrom('yaml', 'yaml', 'yaml', 'list', 'json'),
    fc.record({
      crlf: fc.boolean(),
      bom: fc.boolean(),
      leadingSeparator: fc.boolean(),
      endMarkers: fc.boolean(),
      emptyDocuments: fc.boolean(),
    }),
    fc.gen(),
  )
  .map(([documents, refused, form, layout, g]) => {
    const w: Writer = { pick: pickFrom(g), anchors: 0 };
    const images = documents.flatMap((d) => d.images);
    if (form === 'json') {
      const text = JSON.stringify(
        { apiVersion: 'v1', kind: 'List', items: documents.map((d) => d.object) },
        null,
        2,
      );
      return { text, images, refused: undefined };
    }
    const texts =
      form === 'list'
        ? [block({ apiVersion: 'v1', kind: 'List', items: documents.map((d) => d.object) }, '', w).join('\n')]
        : documents.map((d) => {
            const written = d.bystander
              ? { lines: block(d.object, '', w), images: d.images }
              : workloadYaml(d.object, d.images, w);
            images.push(...written.images.slice(d.images.length));
            return written.lines.join('\n');
          });
    if (refused) texts.splice(w.pick(fc.nat({ max: texts.length })), 0, refused.text.trimEnd());
    if (layout.emptyDocuments) texts.push('# only a comment');
    const separator = layout.endMarkers ? '\n...\n---\n' : '\n---\n';
    let text = `${layout.leadingSeparator ? '---\n' : ''}${texts.join(separator)}\n`;
    if (layout.crlf) text = text.replaceAll('\n', '\r\n');
    if (layout.bom) text = `\uFEFF${text}`;
    return { text, images, refused: refused?.why };
  });
