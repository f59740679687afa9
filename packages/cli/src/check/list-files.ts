import { listManifestInputs, type ManifestInput } from '@pullguard/engine';

/**
 * The inputs `loadManifestFiles(paths)` will read, in its order — the engine's own listing
 * (`listManifestInputs`), collected, so that they can be split between worker threads and loaded
 * as listed (`loadManifestInputs`): one directory walk, and no second look at each file. A path
 * that cannot be read is kept, so the thread that loads it reports the error. Returns undefined
 * for stdin (`-`): it is never split.
 */
export async function listManifestFiles(paths: readonly string[]): Promise<ManifestInput[] | undefined> {
  if (paths.includes('-')) return undefined;
  const inputs: ManifestInput[] = [];
  for await (const input of listManifestInputs(paths)) inputs.push(input);
  return inputs;
}
