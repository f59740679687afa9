import type {
  ContainerType,
  Engine,
  EvaluateOptions,
  EvaluateTextOptions,
  Finding,
  ImageFix,
  PolicySummary,
  Report,
} from '@pullguard/engine';
import { runsPods } from '@pullguard/engine/internals';

/**
 * A scripted Engine for the server's contract tests: its findings are fixed by image name, so
 * each test states exactly what the engine says and checks only what the server does with it.
 * (Integration tests use the real engine.)
 *
 * - tag `latest` or no tag → deny `no-latest` (fix: imagePullPolicy Always, declared as a mutation)
 * - no digest → warn `prefer-digest`
 * - name containing `busybox` → audit `audit/busybox`
 * - name containing `exempt` → the deny finding carries an active exemption
 * - image `boom` → evaluate rejects; image `hang` → evaluate never settles
 * Text is not parsed (no object in it is judged); `calls` records which entry point got what.
 */
export interface StubEngine extends Engine {
  calls: {
    kind: 'text' | 'object' | 'objects' | 'loaded';
    input: unknown;
    options: EvaluateOptions | EvaluateTextOptions | undefined;
  }[];
  namespaceLabels: Map<string, Record<string, string>>;
}

const POD_SPEC: Record<string, string[]> = {
  Pod: ['spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};
const LISTS: [string, ContainerType][] = [
  ['initContainers', 'init'],
  ['containers', 'container'],
  ['ephemeralContainers', 'ephemeral'],
];

export function stubEngine(): StubEngine {
  const calls: StubEngine['calls'] = [];
  const namespaceLabels = new Map<string, Record<string, string>>();
  const policy: PolicySummary = {
    name: 'stub-policy',
    file: 'policies/stub.yaml',
    namespaces: ['*'],
    excludeNamespaces: [],
    namespaceSelector: undefined,
    extends: [],
    rules: 3,
    exemptions: 0,
  };
  /** The scripted judgement (see above) of objects given as data. */
  async function judge(
    objects: readonly Record<string, unknown>[],
    options: EvaluateOptions | undefined,
  ): Promise<Report> {
    const findings: Finding[] = [];
    const mutations: ImageFix[] = [];
    objects.forEach((object, objectIndex) => {
      const kind = String(object['kind']);
      const path = POD_SPEC[kind] ?? ['spec', 'template', 'spec'];
      const spec = path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], object) as
        | Record<string, unknown>
        | undefined;
      const metadata = (object['metadata'] ?? {}) as Record<string, unknown>;
      const namespace = String(metadata['namespace'] ?? options?.namespace ?? 'default');
      for (const [list, type] of LISTS) {
        const containers = (spec?.[list] ?? []) as Record<string, unknown>[];
        containers.forEach((c, index) => {
          const image = String(c['image']);
          if (image === 'boom') throw new Error('rule exploded');
          if (image === 'hang') return;
          const containerPointer = `/${path.join('/')}/${list}/${index}`;
          const base = {
            policy: 'stub-policy',
            status: 'violation' as const,
            namespace,
            workload: {
              apiVersion: String(object['apiVersion']),
              kind,
              name: String(metadata['name'] ?? ''),
            },
            container: { name: String(c['name']), type },
            image: { raw: image },
            pullPolicy: {
              declared: c['imagePullPolicy'] as string | undefined,
              effective: 'Always' as const,
            },
            pointer: `${containerPointer}/image`,
          };
          const tag = /:([^/@]+)$/.exec(image.split('@')[0]!)?.[1];
          if (!image.includes('@') && (tag === undefined || tag === 'latest')) {
            const fix: ImageFix = {
              pointer: `${containerPointer}/imagePullPolicy`,
              field: 'imagePullPolicy',
              value: 'Always',
              objectIndex,
              location: undefined,
              rule: 'no-latest',
              policy: 'stub-policy',
              reason: 'mutable tags must be pulled every time',
            };
            findings.push({
              ...base,
              rule: 'no-latest',
              action: 'deny',
              message: 'the image uses the mutable tag latest',
              hint: 'pin a version or a digest',
              fix,
              exemption: image.includes('exempt')
                ? { status: 'active', owner: 'team-a', expires: '2099-01-01' }
                : undefined,
            });
            if (c['imagePullPolicy'] !== 'Always') mutations.push(fix);
          }
          if (!image.includes('@')) {
            findings.push({
              ...base,
              rule: 'prefer-digest',
              action: 'warn',
              message: 'the image is not pinned by digest',
            });
          }
          if (image.includes('busybox')) {
            findings.push({ ...base, rule: 'audit/busybox', action: 'audit', message: 'busybox in use' });
          }
        });
      }
    });
    if (objects.some((o) => JSON.stringify(o).includes('"hang"'))) return new Promise<Report>(() => {});
    const count = (action: string) =>
      findings.filter((f) => f.action === action && f.exemption?.status !== 'active').length;
    return {
      verdict: count('deny') > 0 ? 'fail' : 'pass',
      findings,
      errors: [],
      warnings: [],
      mutations,
      policyFingerprint: 'stub-fingerprint',
      summary: {
        objects: objects.length,
        workloads: objects.length,
        images: findings.length,
        findings: {
          deny: count('deny'),
          warn: count('warn'),
          audit: count('audit'),
          exempted: findings.filter((f) => f.exemption?.status === 'active').length,
          errors: 0,
        },
        errors: 0,
        cache: { hits: 0, misses: 0 },
      },
    };
  }

  return {
    calls,
    namespaceLabels,
    fingerprint: 'stub-fingerprint',
    evaluateText(text, options) {
      calls.push({ kind: 'text', input: text, options });
      return judge([], options);
    },
    evaluateObject(object, options) {
      calls.push({ kind: 'object', input: object, options });
      return judge([object], options);
    },
    evaluateObjects(objects, options) {
      calls.push({ kind: 'objects', input: objects, options });
      return judge(objects as Record<string, unknown>[], options);
    },
    evaluateLoaded(loaded, options) {
      calls.push({ kind: 'loaded', input: loaded, options });
      return judge(
        loaded.objects.map((o) => o.object),
        options,
      );
    },
    explain(namespace, labels) {
      return {
        namespace,
        labels: labels ?? namespaceLabels.get(namespace) ?? null,
        policies: [
          {
            name: 'stub-policy',
            file: 'policies/stub.yaml',
            applies: true,
            because: ['namespace glob "*" matches'],
            onRegistryError: 'deny',
            rules: [],
            exemptions: [],
          },
        ],
      };
    },
    reload() {
      return { ok: true, fingerprint: 'stub-fingerprint', warnings: [] };
    },
    policies: () => [policy],
    rules: () => [
      {
        id: 'no-latest',
        description: 'no latest',
        hint: undefined,
        source: 'builtin',
        defaultAction: 'deny',
      },
    ],
    warnings: () => [],
    cacheStats: () => ({ hits: 7, misses: 3, size: 3, max: 100 }),
    setNamespaceLabels(namespace, labels) {
      if (labels === undefined) namespaceLabels.delete(namespace);
      else namespaceLabels.set(namespace, { ...labels });
    },
    // What the server asks before evaluating: the real decision (core kinds), not a script.
    runsPods: (apiVersion, kind) => runsPods(apiVersion, kind),
  };
}
