/**
 * A pod spec → the images it runs: `containers`, `initContainers` (native sidecars when
 * `restartPolicy: Always`, KEP-753), `ephemeralContainers` and image volumes (KEP-4639,
 * `volumes[].image.reference`). Field names and types: k8s.io/api v0.34 core/v1 types.go (PodSpec,
 * Container, EphemeralContainer, Volume, ImageVolumeSource, LocalObjectReference).
 */
import type { Diagnostic } from '../errors.js';
import { tryParseImageReference } from '../images/image-reference.js';
import { effectivePullPolicy } from '../images/pull-policy.js';
import type { ContainerType, ExtractedImage, SourceLocation, WorkloadRef } from '../types.js';
import { describeType, isRecord, ownValue, pointerTo } from './object-access.js';
import { TEMPLATE_HINT } from './template-detection.js';
import type { TrackedKey } from './yaml-parse.js';

export interface ExtractionContext {
  workload: WorkloadRef;
  objectIndex: number;
  /** Where the object starts (fallback location for diagnostics); undefined for data input. */
  objectLocation: SourceLocation | undefined;
  /** The source location of `mapping[key]`'s value; undefined for data input. */
  locate(mapping: object, key: TrackedKey): SourceLocation | undefined;
  /** Prefix of diagnostic field paths (the object's own path in data input: `/2`, `/items/0`). */
  fieldPrefix: string;
  report(diagnostic: Diagnostic): void;
}

const CONTAINER_LISTS: readonly (readonly [field: string, type: ContainerType])[] = [
  ['containers', 'container'],
  ['initContainers', 'init'],
  ['ephemeralContainers', 'ephemeral'],
];

/** The images of the pod spec at `path` in `object`; problems go to `ctx.report`. */
export function extractImages(
  object: Readonly<Record<string, unknown>>,
  path: readonly string[],
  ctx: ExtractionContext,
): ExtractedImage[] {
  let podSpec: unknown = object;
  for (let i = 0; i < path.length; i++) {
    podSpec = ownValue(podSpec as Record<string, unknown>, path[i]!);
    // A missing template is not an error here: Kustomize patches and Rollouts with `workloadRef` have none.
    if (podSpec === undefined || podSpec === null) return [];
    if (!isRecord(podSpec)) {
      invalid(ctx, pointerTo(path.slice(0, i + 1)), `must be a mapping, not ${describeType(podSpec)}`);
      return [];
    }
  }
  const spec = podSpec as Record<string, unknown>;
  const specPointer = podSpecPointer(path);
  const pod: PodContext = { ctx, specPointer, pullSecrets: readPullSecrets(spec, specPointer, ctx) };
  const images: ExtractedImage[] = [];
  for (const [field, type] of CONTAINER_LISTS) {
    const list = readList(spec, field, specPointer, ctx);
    for (let index = 0; index < list.length; index++) {
      const image = containerImage(pod, list[index], `${specPointer}/${field}/${index}`, type, index);
      if (image !== undefined) images.push(image);
    }
  }
  const volumes = readList(spec, 'volumes', specPointer, ctx);
  for (let index = 0; index < volumes.length; index++) {
    const image = volumeImage(pod, volumes[index], `${specPointer}/volumes/${index}`, index);
    if (image !== undefined) images.push(image);
  }
  return images;
}

/** Pod spec paths are a few constants (workload-kinds.ts, or the caller's `podSpecPaths`). */
const specPointers = new WeakMap<readonly string[], string>();

function podSpecPointer(path: readonly string[]): string {
  let pointer = specPointers.get(path);
  if (pointer === undefined) {
    pointer = pointerTo(path);
    specPointers.set(path, pointer);
  }
  return pointer;
}

interface PodContext {
  ctx: ExtractionContext;
  specPointer: string;
  pullSecrets: readonly string[];
}

function containerImage(
  pod: PodContext,
  container: unknown,
  pointer: string,
  listType: ContainerType,
  index: number,
): ExtractedImage | undefined {
  const { ctx } = pod;
  if (!isRecord(container)) {
    invalid(ctx, pointer, `must be a container (a mapping), not ${describeType(container)}`);
    return undefined;
  }
  const name = readString(container, 'name', pointer, ctx) ?? '';
  const type =
    listType === 'init' && ownValue(container, 'restartPolicy') === 'Always' ? 'sidecar' : listType;
  return makeImage(pod, {
    holder: container,
    holderPointer: pointer,
    imageKey: 'image',
    policyKey: 'imagePullPolicy',
    container: { name, type, index },
  });
}

function volumeImage(
  pod: PodContext,
  volume: unknown,
  pointer: string,
  index: number,
): ExtractedImage | undefined {
  const { ctx } = pod;
  if (!isRecord(volume)) {
    invalid(ctx, pointer, `must be a volume (a mapping), not ${describeType(volume)}`);
    return undefined;
  }
  const source = ownValue(volume, 'image');
  if (source === undefined || source === null) return undefined;
  if (!isRecord(source)) {
    invalid(
      ctx,
      `${pointer}/image`,
      `must be an image volume source (a mapping), not ${describeType(source)}`,
    );
    return undefined;
  }
  const name = readString(volume, 'name', pointer, ctx) ?? '';
  return makeImage(pod, {
    holder: source,
    holderPointer: `${pointer}/image`,
    imageKey: 'reference',
    policyKey: 'pullPolicy',
    container: { name, type: 'volume', index },
  });
}

interface ImageSite {
  /** The container, or the image volume source. */
  holder: Record<string, unknown>;
  holderPointer: string;
  imageKey: TrackedKey;
  policyKey: 'imagePullPolicy' | 'pullPolicy';
  container: ExtractedImage['container'];
}

function makeImage(pod: PodContext, site: ImageSite): ExtractedImage | undefined {
  const { ctx } = pod;
  const raw = ownValue(site.holder, site.imageKey);
  // No image: the API server rejects such a Pod ("Required value"), and strategic-merge patches
  // legitimately omit it; either way there is nothing to pull.
  if (raw === undefined || raw === null) return undefined;
  const pointer = `${site.holderPointer}/${site.imageKey}`;
  const location = ctx.locate(site.holder, site.imageKey) ?? ctx.objectLocation;
  if (typeof raw !== 'string') {
    // `image: 1.20` reads as the number 1.2: the value as written is only in the source.
    const hint = typeof raw === 'number' ? ': YAML read the unquoted value as a number, quote it' : '';
    invalid(ctx, pointer, `must be a string, not ${describeType(raw)}${hint}`, location);
    return undefined;
  }
  if (raw.includes('{{')) {
    // A quoted template (`image: "{{ .Values.image }}"`) parses, but the file was never rendered.
    ctx.report({
      code: 'TEMPLATE_NOT_RENDERED',
      message: `${TEMPLATE_HINT} (${site.imageKey} is ${JSON.stringify(raw)})`,
      location,
      field: `${ctx.fieldPrefix}${pointer}`,
      severity: 'error',
    });
  }
  const declared = readString(site.holder, site.policyKey, site.holderPointer, ctx);
  const parsed = tryParseImageReference(raw);
  const decision = effectivePullPolicy({
    image: raw,
    imagePullPolicy: declared,
    field: site.policyKey,
    parsed,
  });
  return {
    workload: ctx.workload,
    container: site.container,
    raw,
    reference: parsed.ok ? parsed.reference : undefined,
    referenceError: parsed.ok
      ? undefined
      : { code: 'INVALID_IMAGE_REFERENCE', message: parsed.error.message },
    pullPolicy: {
      declared,
      effective: decision.policy,
      explicit: decision.explicit,
      reason: decision.reason,
    },
    imagePullSecrets: pod.pullSecrets,
    pointer,
    containerPointer: site.holderPointer,
    location,
    objectIndex: ctx.objectIndex,
  };
}

const NO_PULL_SECRETS: readonly string[] = Object.freeze([]);

/** `imagePullSecrets: [{name: regcred}]` → `['regcred']`; one frozen array shared by the pod's images. */
function readPullSecrets(
  spec: Record<string, unknown>,
  specPointer: string,
  ctx: ExtractionContext,
): readonly string[] {
  const list = readList(spec, 'imagePullSecrets', specPointer, ctx);
  if (list.length === 0) return NO_PULL_SECRETS;
  const names: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    if (!isRecord(entry)) {
      invalid(
        ctx,
        `${specPointer}/imagePullSecrets/${i}`,
        `must be a mapping with a name, not ${describeType(entry)}`,
      );
      continue;
    }
    const name = readString(entry, 'name', `${specPointer}/imagePullSecrets/${i}`, ctx);
    if (name) names.push(name);
  }
  return Object.freeze(names);
}

/** A list field; absent or null is empty (Go's nil slice), anything else but a list is an error. */
function readList(
  holder: Record<string, unknown>,
  field: string,
  holderPointer: string,
  ctx: ExtractionContext,
): readonly unknown[] {
  const value = ownValue(holder, field);
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  invalid(ctx, `${holderPointer}/${field}`, `must be a list, not ${describeType(value)}`);
  return [];
}

/** A string field; absent or null is undefined, any other type is an error (and undefined). */
function readString(
  holder: Record<string, unknown>,
  field: string,
  holderPointer: string,
  ctx: ExtractionContext,
): string | undefined {
  const value = ownValue(holder, field);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  invalid(ctx, `${holderPointer}/${field}`, `must be a string, not ${describeType(value)}`);
  return undefined;
}

function invalid(
  ctx: ExtractionContext,
  pointer: string,
  problem: string,
  location: SourceLocation | undefined = ctx.objectLocation,
): void {
  const { kind, name } = ctx.workload;
  ctx.report({
    code: 'INVALID_FIELD',
    message: `${kind} ${JSON.stringify(name)}: ${pointer} ${problem}`,
    location,
    field: `${ctx.fieldPrefix}${pointer}`,
    severity: 'error',
  });
}
