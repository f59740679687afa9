/**
 * The namespaces file: namespace labels for `namespaceSelector` when pullguard runs outside the
 * cluster. Its format is what `kubectl get namespaces -o yaml` prints — Namespace objects, as
 * separate documents or in a `List`/`NamespaceList` — so a cluster's real labels can be saved as is.
 */

import type { PathSegment } from '../documents/field-path.js';
import { readUserDocuments, type UserDocument } from '../documents/user-document.js';
import type { Diagnostic } from '../errors.js';
import type { NamespaceInfo, SourceLocation } from '../types.js';
import { NAMESPACE_GLOB } from './glob.js';
import { labelKeyProblem, labelValueProblem } from './label-selector.js';

export interface NamespacesFile {
  namespaces: NamespaceInfo[];
  /** Labels by namespace name (the shape EngineOptions.namespaceLabels takes). */
  labels: Record<string, Record<string, string>>;
  /** CONFIG_INVALID problems with file, line and column; valid namespaces are still returned. */
  errors: Diagnostic[];
}

export function parseNamespacesFile(text: string, file?: string): NamespacesFile {
  const { documents, problems: errors } = readUserDocuments(text, file, { code: 'CONFIG_INVALID' });
  const byName = new Map<string, { info: NamespaceInfo; location: SourceLocation }>();
  for (const doc of documents) {
    const report = (path: PathSegment[], message: string) => errors.push(doc.problem(path, message));
    for (const { path, value } of namespaceObjects(doc, report)) {
      const info = readNamespace(value, path, report);
      if (!info) continue;
      const previous = byName.get(info.name);
      if (previous) {
        report(
          [...path, 'metadata', 'name'],
          `namespace "${info.name}" is already listed at line ${previous.location.line}`,
        );
        continue;
      }
      byName.set(info.name, { info, location: doc.locate(path) });
    }
  }
  const namespaces = [...byName.values()].map((entry) => entry.info);
  const labels: Record<string, Record<string, string>> = {};
  for (const { name, labels: own } of namespaces) labels[name] = { ...own };
  return { namespaces, labels, errors };
}

type Report = (path: PathSegment[], message: string) => void;

/** The Namespace objects of one document: the document itself, or the items of a list. */
function namespaceObjects(doc: UserDocument, report: Report): { path: PathSegment[]; value: unknown }[] {
  const value = doc.value;
  if (!isMap(value)) {
    report([], 'expected a Namespace object or a List of them');
    return [];
  }
  if (value['kind'] === 'List' || value['kind'] === 'NamespaceList') {
    const items = value['items'];
    if (!Array.isArray(items)) {
      report(['items'], 'a List needs `items`');
      return [];
    }
    return items.map((item, index) => ({ path: ['items', index], value: item }));
  }
  return [{ path: [], value }];
}

function readNamespace(value: unknown, path: PathSegment[], report: Report): NamespaceInfo | undefined {
  if (!isMap(value) || value['kind'] !== 'Namespace') {
    const kind = isMap(value) ? JSON.stringify(value['kind']) : 'none';
    report([...path, 'kind'], `expected kind Namespace (found ${kind})`);
    return undefined;
  }
  const metadata = value['metadata'];
  const name = isMap(metadata) ? metadata['name'] : undefined;
  if (
    typeof name !== 'string' ||
    !NAMESPACE_GLOB.validName.test(name) ||
    name.length > NAMESPACE_GLOB.maxLength
  ) {
    report(
      [...path, 'metadata', 'name'],
      `a Namespace needs metadata.name, a DNS label (found ${JSON.stringify(name)})`,
    );
    return undefined;
  }
  const rawLabels = isMap(metadata) ? (metadata['labels'] ?? {}) : {};
  if (!isMap(rawLabels)) {
    report([...path, 'metadata', 'labels'], 'labels must be a map of strings');
    return undefined;
  }
  const labels: Record<string, string> = {};
  for (const [key, label] of Object.entries(rawLabels)) {
    const problem =
      labelKeyProblem(key) ??
      (typeof label === 'string' ? labelValueProblem(label) : 'label values must be strings');
    if (problem) {
      report([...path, 'metadata', 'labels', key], problem);
      return undefined;
    }
    labels[key] = label as string;
  }
  return { name, labels };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
