/**
 * Decoded documents → ManifestObjects, images and namespaces. Shared by text input (with source
 * locations) and data input (objects from a JSON body or an AdmissionReview, with field paths).
 */
import type { LoadedManifests, ManifestLoadOptions, ManifestObject } from '../engine-api.js';
import type { Diagnostic, ErrorCode } from '../errors.js';
import type { SourceLocation, WorkloadRef } from '../types.js';
import { extractImages } from './extract-images.js';
import { describeType, escapePointerSegment, isRecord, ownValue, readStringMap } from './object-access.js';
import { isNamespaceKind, listItemKind, podSpecPathFor } from './workload-kinds.js';
import type { TrackedKey } from './yaml-parse.js';

/** Source positions of one document; absent for data input. */
export interface DocumentPositions {
  /** Where a document root or List item starts. */
  objectLocation(object: object): SourceLocation | undefined;
  valueLocation(mapping: object, key: TrackedKey): SourceLocation | undefined;
}

/** Where a document is: its location (text) and its path in the input (data: `/2`; text: ``). */
export interface DocumentPlace {
  location: SourceLocation | undefined;
  fieldPrefix: string;
  positions: DocumentPositions | undefined;
}

const noLocation = (): undefined => undefined;

/**
 * What one load collects into. A plain record with functions over it, not a class: see
 * evaluate/evaluation-state.ts for why per-call records are object literals.
 */
export interface ManifestCollector {
  readonly options: ManifestLoadOptions;
  readonly result: LoadedManifests;
}

export function newManifestCollector(options: ManifestLoadOptions): ManifestCollector {
  return {
    options,
    result: { file: options.file, objects: [], images: [], namespaces: [], errors: [], warnings: [] },
  };
}

export function report(c: ManifestCollector, diagnostic: Diagnostic): void {
  if (diagnostic.severity === 'warning') c.result.warnings!.push(diagnostic);
  else c.result.errors.push(diagnostic);
}

export function fail(
  c: ManifestCollector,
  code: ErrorCode,
  message: string,
  location: SourceLocation | undefined,
  field?: string,
): void {
  report(c, { code, message, location, field: field === '' ? undefined : field, severity: 'error' });
}

/** One decoded document: an object, a List of objects, or something to report. */
export function addDocument(c: ManifestCollector, value: unknown, place: DocumentPlace): void {
  if (!isRecord(value)) {
    const hint = Array.isArray(value)
      ? ' (a top-level list: separate objects with `---` or wrap them in `kind: List` with `items`)'
      : '';
    fail(
      c,
      'NOT_AN_OBJECT',
      `the document is ${describeType(value)}, not a Kubernetes object (a mapping with apiVersion and kind)${hint}`,
      place.location,
      place.fieldPrefix,
    );
    return;
  }
  addObject(c, value, place, undefined, undefined);
}

function addObject(
  c: ManifestCollector,
  object: Record<string, unknown>,
  place: DocumentPlace,
  inheritedApiVersion: string | undefined,
  inheritedKind: string | undefined,
): void {
  const apiVersion = readIdentity(c, object, 'apiVersion', inheritedApiVersion, place);
  const kind = readIdentity(c, object, 'kind', inheritedKind, place);
  if (apiVersion === undefined || kind === undefined) return;
  const list = listItemKind(kind);
  if (list !== undefined && Object.hasOwn(object, 'items')) {
    addListItems(c, object, place, apiVersion, list.itemKind);
    return;
  }
  const metadata = ownValue(object, 'metadata');
  const meta = isRecord(metadata) ? metadata : {};
  if (metadata !== undefined && metadata !== null && !isRecord(metadata)) {
    fail(
      c,
      'INVALID_FIELD',
      `metadata must be a mapping, not ${describeType(metadata)}`,
      place.location,
      `${place.fieldPrefix}/metadata`,
    );
  }
  const name = readMetaString(c, meta, 'name', place) ?? readMetaString(c, meta, 'generateName', place) ?? '';
  const namespace = readMetaString(c, meta, 'namespace', place);
  const podSpecPath = podSpecPathFor(apiVersion, kind, c.options.podSpecPaths);
  const index = c.result.objects.length;
  const manifest: ManifestObject = {
    index,
    apiVersion,
    kind,
    name,
    namespace,
    workload: podSpecPath !== undefined,
    object,
    location: place.location,
  };
  c.result.objects.push(manifest);
  if (isNamespaceKind(apiVersion, kind)) {
    c.result.namespaces.push({ name, labels: readMetaMap(c, meta, 'labels', place) });
  }
  if (podSpecPath === undefined) return;
  const workload: WorkloadRef = {
    apiVersion,
    kind,
    name,
    namespace,
    labels: readMetaMap(c, meta, 'labels', place),
    annotations: readMetaMap(c, meta, 'annotations', place),
  };
  const positions = place.positions;
  const images = extractImages(object, podSpecPath, {
    workload,
    objectIndex: index,
    objectLocation: place.location,
    locate: positions ? (mapping, key) => positions.valueLocation(mapping, key) : noLocation,
    fieldPrefix: place.fieldPrefix,
    report: (diagnostic) => report(c, diagnostic),
  });
  for (const image of images) c.result.images.push(image);
}

function addListItems(
  c: ManifestCollector,
  list: Record<string, unknown>,
  place: DocumentPlace,
  apiVersion: string,
  itemKind: string | undefined,
): void {
  const items = ownValue(list, 'items');
  if (items === null) return;
  if (!Array.isArray(items)) {
    fail(
      c,
      'INVALID_FIELD',
      `items must be a list, not ${describeType(items)}`,
      place.location,
      `${place.fieldPrefix}/items`,
    );
    return;
  }
  // Items of `kind: List` carry their own apiVersion/kind; typed lists' items may omit both.
  const inheritedApiVersion = itemKind === undefined ? undefined : apiVersion;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const itemPlace: DocumentPlace = {
      location: (isRecord(item) ? place.positions?.objectLocation(item) : undefined) ?? place.location,
      fieldPrefix: `${place.fieldPrefix}/items/${i}`,
      positions: place.positions,
    };
    if (!isRecord(item)) {
      fail(
        c,
        'NOT_AN_OBJECT',
        `List item ${i} is ${describeType(item)}, not a Kubernetes object`,
        itemPlace.location,
        itemPlace.fieldPrefix,
      );
      continue;
    }
    addObject(c, item, itemPlace, inheritedApiVersion, itemKind);
  }
}

/** `apiVersion` / `kind`: required strings (typed List items inherit them). */
function readIdentity(
  c: ManifestCollector,
  object: Record<string, unknown>,
  field: 'apiVersion' | 'kind',
  inherited: string | undefined,
  place: DocumentPlace,
): string | undefined {
  const value = ownValue(object, field);
  if (typeof value === 'string' && value !== '') return value;
  if ((value === undefined || value === null || value === '') && inherited !== undefined) return inherited;
  const where = `${place.fieldPrefix}/${field}`;
  if (value === undefined || value === null || value === '') {
    fail(
      c,
      'MISSING_KIND',
      `the object has no ${field}: every Kubernetes object needs apiVersion and kind`,
      place.location,
      where,
    );
  } else {
    fail(c, 'INVALID_FIELD', `${field} must be a string, not ${describeType(value)}`, place.location, where);
  }
  return undefined;
}

function readMetaString(
  c: ManifestCollector,
  meta: Record<string, unknown>,
  name: string,
  place: DocumentPlace,
): string | undefined {
  const value = ownValue(meta, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  fail(
    c,
    'INVALID_FIELD',
    `metadata.${name} must be a string, not ${describeType(value)}`,
    place.location,
    metadataField(place, name),
  );
  return undefined;
}

function readMetaMap(
  c: ManifestCollector,
  meta: Record<string, unknown>,
  name: 'labels' | 'annotations',
  place: DocumentPlace,
): Readonly<Record<string, string>> {
  return readStringMap(ownValue(meta, name), (key, problem) => {
    const field = metadataField(place, name);
    const path = key === '' ? field : `${field}/${escapePointerSegment(key)}`;
    fail(
      c,
      'INVALID_FIELD',
      `metadata.${name}${key === '' ? '' : `.${key}`} ${problem}`,
      place.location,
      path,
    );
  });
}

/** Built only for a diagnostic: most objects have none. */
function metadataField(place: DocumentPlace, name: string): string {
  return `${place.fieldPrefix}/metadata/${name}`;
}
