/**
 * Files and directories → one LoadedManifests per file, streamed: a file is read, loaded and
 * handed over before the next is opened, and directories are listed one at a time. The listing is
 * exported on its own for callers that split inputs between workers, and loadManifestInputs loads
 * such a list without listing it again.
 */
import { type Dirent, readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadedManifests, ManifestLoadOptions } from '../engine-api.js';
import { loadManifests } from './load-manifests.js';

export interface ManifestFileOptions extends Omit<ManifestLoadOptions, 'file'> {
  /** What `-` reads (default `process.stdin`). */
  stdin?: AsyncIterable<string | Uint8Array> | undefined;
}

/** Name used for `-` in locations and errors. */
export const STDIN_NAME = '<stdin>';

const MANIFEST_EXTENSIONS = /\.(?:ya?ml|json)$/i;
const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '.git']);

/** One input of loadManifestFiles: a file to read, standard input, or a path that cannot be read. */
export type ManifestInput =
  | { kind: 'file'; path: string }
  | { kind: 'stdin' }
  | { kind: 'unreadable'; path: string; error: unknown };

/**
 * The inputs loadManifestFiles reads, in order, without reading them: files as given (any
 * extension), directories recursively (`.yaml`, `.yml`, `.json`, sorted by name, skipping
 * `node_modules` and `.git`; symbolic links to files are followed, to directories not, so a link
 * cycle cannot loop), `-` as standard input. Directories are listed one at a time, as consumed.
 */
export async function* listManifestInputs(
  paths: readonly string[],
): AsyncGenerator<ManifestInput, void, undefined> {
  for (const path of paths) {
    if (path === '-') {
      yield { kind: 'stdin' };
      continue;
    }
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch (error) {
      yield { kind: 'unreadable', path, error };
      continue;
    }
    if (isDirectory) yield* listDirectory(path);
    else yield { kind: 'file', path };
  }
}

/**
 * Yields one LoadedManifests per input of listManifestInputs, streamed: a file is read, loaded and
 * handed over before the next is opened. A path that cannot be read yields a result whose only
 * error is INPUT_READ_FAILED.
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
  for await (const input of inputs) {
    if (input.kind === 'stdin') yield await loadStdin(stdin ?? process.stdin, loadOptions);
    else if (input.kind === 'unreadable') yield readFailure(input.path, input.error);
    else yield loadFile(input.path, loadOptions);
  }
}

async function* listDirectory(directory: string): AsyncGenerator<ManifestInput, void, undefined> {
  let entries: Dirent[];
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    yield { kind: 'unreadable', path: directory, error };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) yield* listDirectory(path);
    } else if (MANIFEST_EXTENSIONS.test(entry.name) && (entry.isFile() || (await isLinkToFile(path)))) {
      yield { kind: 'file', path };
    }
  }
}

async function isLinkToFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads synchronously: fs/promises' readFile makes four thread-pool round trips (open, fstat,
 * read, close) per file, each waiting for the event loop, which for many small manifests cost
 * more than the reads (bench cliVsParseOnly); one readFileSync is a single call. The loader is
 * CPU-bound anyway: parsing the text blocks the event loop far longer than reading it.
 */
function loadFile(path: string, options: Omit<ManifestLoadOptions, 'file'>): LoadedManifests {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return readFailure(path, error);
  }
  return loadManifests(text, { ...options, file: path });
}

async function loadStdin(
  stream: AsyncIterable<string | Uint8Array>,
  options: Omit<ManifestLoadOptions, 'file'>,
): Promise<LoadedManifests> {
  const decoder = new TextDecoder('utf-8');
  let text = '';
  try {
    for await (const chunk of stream)
      text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    text += decoder.decode();
  } catch (error) {
    return readFailure(STDIN_NAME, error);
  }
  return loadManifests(text, { ...options, file: STDIN_NAME });
}

function readFailure(file: string, error: unknown): LoadedManifests {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    file,
    objects: [],
    images: [],
    namespaces: [],
    warnings: [],
    errors: [
      {
        code: 'INPUT_READ_FAILED',
        message: `cannot read ${file}: ${reason}`,
        location: { file, line: 1, column: 1 },
        severity: 'error',
      },
    ],
  };
}
