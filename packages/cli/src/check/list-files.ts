import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const MANIFEST_EXTENSIONS = /\.(?:ya?ml|json)$/i;
const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '.git']);

/**
 * The files `loadManifestFiles(paths)` would read, in the same order and by the same rules
 * (engine src/manifests/load-manifest-files.ts): files as given, directories recursively for
 * `.yaml`/`.yml`/`.json` sorted by name, skipping node_modules and .git, following links to files
 * only. Used to split a large input between worker threads; a path that cannot be read is kept as
 * is, so the worker that loads it reports the error. Returns undefined for stdin (`-`): it is
 * never split.
 */
export async function listManifestFiles(paths: readonly string[]): Promise<string[] | undefined> {
  if (paths.includes('-')) return undefined;
  const files: string[] = [];
  const walk = async (directory: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch {
      files.push(directory);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(path);
      } else if (MANIFEST_EXTENSIONS.test(entry.name) && (entry.isFile() || (await isFile(path)))) {
        files.push(path);
      }
    }
  };
  for (const path of paths) {
    if (await isDirectory(path)) await walk(path);
    else files.push(path);
  }
  return files;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
