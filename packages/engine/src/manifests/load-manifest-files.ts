/**
 * Files and directories → one LoadedManifests per file, streamed: a file is read, loaded and
 * handed over before the next is opened, and directories are listed one at a time. The listing is
 * exported on its own for callers that split inputs between workers, and loadManifestInputs loads
 * such a list without listing it again.
 */
import type { LoadedManifests, ManifestLoadOptions } from '../engine-api.js';
import {
  type FileReadError,
  readFailure as fileReadFailure,
  readTextFile,
  readTextStream,
} from '../files/read-text.js';
import { walkPath } from '../files/walk-files.js';
import { resolveLimits } from './limits.js';
import { loadManifests } from './load-manifests.js';

export interface ManifestFileOptions extends Omit<ManifestLoadOptions, 'file'> {
  /** What `-` reads (default `process.stdin`). */
  stdin?: AsyncIterable<string | Uint8Array> | undefined;
}

/** Name used for `-` in locations and errors. */
export const STDIN_NAME = '<stdin>';

const MANIFEST_EXTENSIONS = /\.(?:ya?ml|json)$/i;
const isManifestName = (name: string) => MANIFEST_EXTENSIONS.test(name);

/**
 * One input of loadManifestFiles: a file to read, standard input, or a path that cannot be read
 * (`reason` in words; plain data, so that a list can be posted to a worker thread).
 */
export type ManifestInput =
  | { kind: 'file'; path: string }
  | { kind: 'stdin' }
  | { kind: 'unreadable'; path: string; reason: string };

/**
 * The inputs loadManifestFiles reads, in order, without reading them: `-` as standard input, every
 * other path through the engine's walker (files/walk-files.ts: a file as given, whatever its
 * extension; directories recursively in name order, `.yaml`, `.yml` and `.json` files, hidden
 * entries and `node_modules` skipped, symbolic links followed, loops and unreadable entries
 * reported). Directories are listed one at a time, as consumed.
 */
export async function* listManifestInputs(
  paths: readonly string[],
): AsyncGenerator<ManifestInput, void, undefined> {
  for (const path of paths) {
    if (path === '-') yield { kind: 'stdin' };
    else yield* walkPath(path, { include: isManifestName });
  }
}

/**
 * Yields one LoadedManifests per input of listManifestInputs, streamed: a file is read, loaded and
 * handed over before the next is opened. A path that cannot be read (missing, a loop, a FIFO or
 * device, larger than `limits.maxFileBytes`) yields a result whose only error is INPUT_READ_FAILED.
 */
export function loadManifestFiles(
  paths: readonly string[],
  options: ManifestFileOptions = {},
): AsyncGenerator<LoadedManifests, void, undefined> {
  return loadManifestInputs(listManifestInputs(paths), options);
}

/**
 * loadManifestFiles for inputs already listed by listManifestInputs (e.g. a worker's share): each
 * is loaded as listed, without looking at the file system again.
 */
export async function* loadManifestInputs(
  inputs: AsyncIterable<ManifestInput> | Iterable<ManifestInput>,
  options: ManifestFileOptions = {},
): AsyncGenerator<LoadedManifests, void, undefined> {
  const { stdin, ...loadOptions } = options;
  const maxBytes = resolveLimits(loadOptions.limits).maxFileBytes;
  for await (const input of inputs) {
    if (input.kind === 'stdin') yield await loadStdin(stdin ?? process.stdin, maxBytes, loadOptions);
    else if (input.kind === 'unreadable') yield readFailure(input.path, input.reason);
    else yield loadFile(input.path, maxBytes, loadOptions);
  }
}

function loadFile(
  path: string,
  maxBytes: number,
  options: Omit<ManifestLoadOptions, 'file'>,
): LoadedManifests {
  let text: string;
  try {
    text = readTextFile(path, maxBytes);
  } catch (error) {
    return readFailure(path, (error as FileReadError).message);
  }
  return loadManifests(text, { ...options, file: path });
}

async function loadStdin(
  stream: AsyncIterable<string | Uint8Array>,
  maxBytes: number,
  options: Omit<ManifestLoadOptions, 'file'>,
): Promise<LoadedManifests> {
  let text: string;
  try {
    text = await readTextStream(stream, maxBytes);
  } catch (error) {
    return readFailure(STDIN_NAME, (error as FileReadError).message);
  }
  return loadManifests(text, { ...options, file: STDIN_NAME });
}

function readFailure(file: string, reason: string): LoadedManifests {
  return {
    file,
    objects: [],
    images: [],
    namespaces: [],
    warnings: [],
    errors: [fileReadFailure('INPUT_READ_FAILED', file, reason)],
  };
}
