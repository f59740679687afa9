import type { ManifestLimits } from '@pullguard/engine';
import { type FieldPath, formatPath, isRecord, type LocatedYaml, readRecord } from './located-yaml.js';

/**
 * The `manifests` section of the config file: which extra kinds carry a pod spec, and the
 * loader's limits. Passed to the manifest loader (`loadManifestFiles`) and the engine.
 *
 * ```yaml
 * manifests:
 *   wellKnownKinds: true                # Knative, Argo Rollouts, OpenKruise (WELL_KNOWN_POD_SPEC_PATHS)
 *   podSpecPaths:                       # group/Kind (or Kind for any group) → where its pod spec is
 *     example.com/Worker: spec.template.spec   # or [spec, template, spec]
 *   limits: { maxDocumentBytes: 3145728, maxFileBytes: 134217728, maxAliases: 1000, maxDepth: 100 }
 * ```
 */
export interface ManifestSection {
  wellKnownKinds: boolean | undefined;
  podSpecPaths: Record<string, string[]>;
  limits: ManifestLimits;
}

// `group/Kind` or `Kind`: the group is a DNS subdomain (k8s.io/apimachinery validation
// IsDNS1123Subdomain), the kind a CamelCase identifier as Kubernetes kinds are written.
const DNS_LABEL = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?';
const KIND_KEY = new RegExp(`^(?:${DNS_LABEL}(?:\\.${DNS_LABEL})*/)?[A-Za-z][A-Za-z0-9]*$`);
const GROUP_MAX = 253;
/** Pod specs sit 1 (Pod) to 5 (CronJob) fields deep; 16 leaves room for any CRD without unbounded input. */
const PATH_MAX_SEGMENTS = 16;

const LIMITS: readonly { key: keyof ManifestLimits; min: 0 | 1 }[] = [
  { key: 'maxDocumentBytes', min: 1 },
  { key: 'maxFileBytes', min: 1 },
  { key: 'maxAliases', min: 0 },
  { key: 'maxDepth', min: 1 },
];

function readPodSpecPath(src: LocatedYaml, value: unknown, path: FieldPath): string[] {
  const segments =
    typeof value === 'string'
      ? value.split('.')
      : Array.isArray(value) && value.every((s) => typeof s === 'string')
        ? (value as string[])
        : undefined;
  if (segments === undefined) {
    src.fail(path, `${formatPath(path)} must be a dotted path (spec.template.spec) or a list of field names`);
  }
  if (segments.length === 0 || segments.length > PATH_MAX_SEGMENTS || segments.some((s) => s === '')) {
    src.fail(
      path,
      `${formatPath(path)} must name 1 to ${PATH_MAX_SEGMENTS} non-empty field names (e.g. spec.template.spec)`,
    );
  }
  return segments;
}

function readPodSpecPaths(src: LocatedYaml, value: unknown, path: FieldPath): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  if (value === undefined) return out;
  if (!isRecord(value)) src.fail(path, `${formatPath(path)} must be a mapping of group/Kind to a path`);
  for (const [key, v] of Object.entries(value)) {
    const slash = key.lastIndexOf('/');
    if (!KIND_KEY.test(key) || slash > GROUP_MAX) {
      src.fail(
        [...path, key],
        `"${key}" is not a kind: write group/Kind (argoproj.io/Rollout) or Kind for any group`,
        'key',
      );
    }
    out[key] = readPodSpecPath(src, v, [...path, key]);
  }
  return out;
}

function readLimits(src: LocatedYaml, value: unknown, path: FieldPath): ManifestLimits {
  if (value === undefined) return {};
  const raw = readRecord(
    src,
    value,
    path,
    LIMITS.map((l) => l.key),
  );
  const limits: ManifestLimits = {};
  for (const { key, min } of LIMITS) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
      src.fail([...path, key], `${formatPath([...path, key])} must be an integer of at least ${min}`);
    }
    limits[key] = v;
  }
  return limits;
}

export function readManifestSection(src: LocatedYaml, value: unknown, path: FieldPath): ManifestSection {
  if (value === undefined)
    return { wellKnownKinds: undefined, podSpecPaths: Object.create(null), limits: {} };
  const raw = readRecord(src, value, path, ['wellKnownKinds', 'podSpecPaths', 'limits']);
  if (raw.wellKnownKinds !== undefined && typeof raw.wellKnownKinds !== 'boolean') {
    src.fail([...path, 'wellKnownKinds'], `${formatPath([...path, 'wellKnownKinds'])} must be true or false`);
  }
  return {
    wellKnownKinds: raw.wellKnownKinds,
    podSpecPaths: readPodSpecPaths(src, raw.podSpecPaths, [...path, 'podSpecPaths']),
    limits: readLimits(src, raw.limits, [...path, 'limits']),
  };
}
