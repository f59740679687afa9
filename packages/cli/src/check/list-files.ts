import { listManifestInputs } from '@pullguard/engine';

/**
 * The files `loadManifestFiles(paths)` will read, in its order — taken from the engine's own
 * listing (`listManifestInputs`), so there is one directory walk. Used to split a large input
 * between worker threads: a path that cannot be read is kept, so the thread that loads it reports
 * the error. Returns undefined for stdin (`-`): it is never split.
 */
export async function listManifestFiles(paths: readonly string[]): Promise<string[] | undefined> {
  if (paths.includes('-')) return undefined;
  const files: string[] = [];
  for await (const input of listManifestInputs(paths)) {
    if (input.kind !== 'stdin') files.push(input.path);
  }
  return files;
}
