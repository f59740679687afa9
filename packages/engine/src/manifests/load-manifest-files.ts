/**
 * Files and directories → one LoadedManifests per file, streamed: a file is read, loaded and
 * handed over before the next is opened, and directories are listed one at a time.
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
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

/**
 * Yields one LoadedManifests per file, in order: files as given (any extension), directories
 * recursively (`.yaml`, `.yml`, `.json`, sorted by name, skipping `node_modules` and `.git`;
 * symbolic links to files are followed, to directories not, so a link cycle cannot loop), `-` as
 * standard input. A path that cannot be read yields a result whose only error is INPUT_READ_FAILED.
 */
export async function* loadManifestFiles(
  paths: readonly string[],
  options: ManifestFileOptions = {},
): AsyncGenerator<LoadedManifests, void, undefined> {
  const { stdin, ...loadOptions } = options;
  for (const path of paths) {
    if (path === '-') {
      yield await loadStdin(stdin ?? process.stdin, loadOptions);
      continue;
    }
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch (error) {
      yield readFailure(path, error);
      continue;
    }
    if (isDirectory) yield* loadDirectory(path, loadOptions);
    else yield await loadFile(path, loadOptions);
  }
}

async function* loadDirectory(
  directory: string,
  options: Omit<ManifestLoadOptions, 'file'>,
): AsyncGenerator<LoadedManifests, void, undefined> {
  let entries: Dirent[];
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    yield readFailure(directory, error);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) yield* loadDirectory(path, options);
    } else if (MANIFEST_EXTENSIONS.test(entry.name) && (entry.isFile() || (await isLinkToFile(path)))) {
      yield await loadFile(path, options);
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

async function loadFile(path: string, options: Omit<ManifestLoadOptions, 'file'>): Promise<LoadedManifests> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
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
