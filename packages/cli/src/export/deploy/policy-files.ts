/**
 * The policy files, as ConfigMap data: one key per file the engine's loader read (so the same
 * files, found by the same walker), each file's text unchanged — comments included — under a key
 * that keeps the loader's order once mounted: the server walks the mounted directory in name
 * order, and `00-`, `01-`… sort as the files did.
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { PolicyDocument } from '@pullguard/engine';

/** ConfigMap keys: `[-._a-zA-Z0-9]+`, at most 253 characters (k8s.io/apimachinery IsConfigMapKey). */
const KEY_CHARACTER = /[^-._a-zA-Z0-9]/g;
const MAX_KEY = 253;

/**
 * A ConfigMap is one etcd object, at most 1 MiB with its metadata; `kubectl apply` without
 * `--server-side` also copies it into an annotation, and all annotations together may hold at
 * most 256 KiB (k8s.io/apimachinery TotalAnnotationSizeLimitB; kubernetes/kubectl#712).
 */
export const CONFIGMAP_MAX_BYTES = 900 * 1024;
export const CLIENT_SIDE_APPLY_MAX_BYTES = 250 * 1024;

export interface PolicyFiles {
  data: Record<string, string>;
  bytes: number;
}

/**
 * `00-prod.yaml`. The mounted directory is walked, where only `.yaml`, `.yml` and `.json` names
 * are read (a file named on the command line is read whatever its name), so a key always ends in one.
 */
function configMapKey(prefix: string, name: string): string {
  const safe = name.replace(KEY_CHARACTER, '_');
  const extension = /\.(ya?ml|json)$/i.exec(safe)?.[0] ?? '.yaml';
  const stem = safe.endsWith(extension) ? safe.slice(0, -extension.length) : safe;
  return `${prefix}${stem.slice(0, MAX_KEY - prefix.length - extension.length)}${extension}`;
}

export async function policyFiles(documents: readonly PolicyDocument[], cwd: string): Promise<PolicyFiles> {
  const files = [...new Set(documents.map((d) => d.file).filter((f): f is string => f !== undefined))];
  const width = String(Math.max(files.length - 1, 0)).length;
  const data: Record<string, string> = {};
  let bytes = 0;
  for (const [i, file] of files.entries()) {
    const prefix = `${String(i).padStart(Math.max(width, 2), '0')}-`;
    const key = configMapKey(prefix, basename(file));
    const text = await readFile(resolve(cwd, file), 'utf8');
    data[key] = text;
    bytes += Buffer.byteLength(key) + Buffer.byteLength(text);
  }
  return { data, bytes };
}
