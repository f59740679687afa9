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

export class ManifestCollector {
  readonly result: LoadedManifests;

  constructor(private readonly options: ManifestLoadOptions) {
    this.result = { file: options.file, objects: [], images: [], namespaces: [], errors: [], warnings: [] };
  }

  report(diagnostic: Diagnostic): void {
    if (diagnostic.severity === 'warning') this.result.warnings!.push(diagnostic);
    else this.result.errors.push(diagnostic);
  }

  fail(code: ErrorCode, message: string, location: SourceLocation | undefined, field?: string): void {
    this.report({ code, message, location, field: field === '' ? undefined : field, severity: 'error' });
  }

  /** One decoded document: an object, a List of objects, or something to report. */
  addDocument(value: unknown, place: DocumentPlace): void {
    if (!isRecord(value)) {
      const hint = Array.isArray(value)
        ? ' (a top-level list: separate objects with `---` or wrap them in `kind: List` with `items`)'
        : '';
      this.fail(
        'NOT_AN_OBJECT',
        `the document is ${describeType(value)}, not a Kubernetes object (a mapping with apiVersion and kind)${hint}`,
        place.location,
        place.fieldPrefix,
      );
      return;
    }
    this.addObject(value, place, undefined, undefined);
  }

  private addObject(
    object: Record<string, unknown>,
    place: DocumentPlace,
    inheritedApiVersion: string | undefined,
    inheritedKind: string | undefined,
  ): void {
    const apiVersion = this.readIdentity(object, 'apiVersion', inheritedApiVersion, place);
    const kind = this.readIdentity(object, 'kind', inheritedKind, place);
    if (apiVersion === undefined || kind === undefined) return;
    const list = listItemKind(kind);
    if (list !== undefined && Object.hasOwn(object, 'items')) {
      this.addListItems(object, place, apiVersion, list.itemKind);
      return;
    }
    const metadata = ownValue(object, 'metadata');
    const meta = isRecord(metadata) ? metadata : {};
    if (metadata !== undefined && metadata !== null && !isRecord(metadata)) {
      this.fail(
        'INVALID_FIELD',
        `metadata must be a mapping, not ${describeType(metadata)}`,
        place.location,
        `${place.fieldPrefix}/metadata`,
      );
    }
    const field = (name: string): string => `${place.fieldPrefix}/metadata/${name}`;
    const name =
      this.readMetaString(meta, 'name', field, place) ??
      this.readMetaString(meta, 'generateName', field, place) ??
      '';
    const namespace = this.readMetaString(meta, 'namespace', field, place);
    const podSpecPath = podSpecPathFor(apiVersion, kind, this.options.podSpecPaths);
    const index = this.result.objects.length;
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
    this.result.objects.push(manifest);
    if (isNamespaceKind(apiVersion, kind)) {
      this.result.namespaces.push({ name, labels: this.readMetaMap(meta, 'labels', field, place) });
    }
    if (podSpecPath === undefined) return;
    const workload: WorkloadRef = {
      apiVersion,
      kind,
      name,
      namespace,
      labels: this.readMetaMap(meta, 'labels', field, place),
      annotations: this.readMetaMap(meta, 'annotations', field, place),
    };
    const positions = place.positions;
    const images = extractImages(object, podSpecPath, {
      workload,
      objectIndex: index,
      objectLocation: place.location,
      locate: positions ? (mapping, key) => positions.valueLocation(mapping, key) : noLocation,
      fieldPrefix: place.fieldPrefix,
      report: (diagnostic) => this.report(diagnostic),
    });
    for (const image of images) this.result.images.push(image);
  }

  private addListItems(
    list: Record<string, unknown>,
    place: DocumentPlace,
    apiVersion: string,
    itemKind: string | undefined,
  ): void {
    const items = ownValue(list, 'items');
    if (items === null) return;
    if (!Array.isArray(items)) {
      this.fail(
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
        this.fail(
          'NOT_AN_OBJECT',
          `List item ${i} is ${describeType(item)}, not a Kubernetes object`,
          itemPlace.location,
          itemPlace.fieldPrefix,
        );
        continue;
      }
      this.addObject(item, itemPlace, inheritedApiVersion, itemKind);
    }
  }

  /** `apiVersion` / `kind`: required strings (typed List items inherit them). */
  private readIdentity(
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
      this.fail(
        'MISSING_KIND',
        `the object has no ${field}: every Kubernetes object needs apiVersion and kind`,
        place.location,
        where,
      );
    } else {
      this.fail(
        'INVALID_FIELD',
        `${field} must be a string, not ${describeType(value)}`,
        place.location,
        where,
      );
    }
    return undefined;
  }

  private readMetaString(
    meta: Record<string, unknown>,
    name: string,
    field: (name: string) => string,
    place: DocumentPlace,
  ): string | undefined {
    const value = ownValue(meta, name);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    this.fail(
      'INVALID_FIELD',
      `metadata.${name} must be a string, not ${describeType(value)}`,
      place.location,
      field(name),
    );
    return undefined;
  }

  private readMetaMap(
    meta: Record<string, unknown>,
    name: 'labels' | 'annotations',
    field: (name: string) => string,
    place: DocumentPlace,
  ): Readonly<Record<string, string>> {
    return readStringMap(ownValue(meta, name), (key, problem) => {
      const path = key === '' ? field(name) : `${field(name)}/${escapePointerSegment(key)}`;
      this.fail(
        'INVALID_FIELD',
        `metadata.${name}${key === '' ? '' : `.${key}`} ${problem}`,
        place.location,
        path,
      );
    });
  }
}
