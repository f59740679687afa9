import { statSync } from 'node:fs';
import { normalize } from 'node:path';
import { listManifestInputs, type ManifestInput } from '@pullguard/engine/internals';
import { findRenderSources, inRenderSource, type RenderSource } from './render-sources.js';

export interface ListedInputs {
  /**
   * What `loadManifestFiles(paths)` reads, in its order — the engine's own listing
   * (`listManifestInputs`), collected so that it can be split between worker threads and loaded
   * as listed (`loadManifestInputs`): one directory walk, and no second look at each file. A path
   * that cannot be read is kept, so the thread that loads it reports the error. Files inside a
   * kustomization or a chart found by the walk are left out (see `sources`).
   */
  inputs: ManifestInput[];
  /** Kustomizations and Helm charts in the directories given: rendered, never read as raw YAML. */
  sources: RenderSource[];
  /** Whether an input is stdin (`-`): such a run is never split between threads. */
  stdin: boolean;
}

/** A directory as the walk writes the paths under it (`deploy/` → `deploy`, `./x` → `x`). */
function asDirectory(path: string): string | undefined {
  try {
    if (!statSync(path).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  const normal = normalize(path);
  return normal.length > 1 ? normal.replace(/[\\/]+$/, '') : normal;
}

export async function listManifestFiles(paths: readonly string[]): Promise<ListedInputs> {
  const inputs: ManifestInput[] = [];
  const roots: string[] = [];
  const walked: string[] = [];
  for (const path of paths) {
    const dir = path === '-' ? undefined : asDirectory(path);
    if (dir !== undefined) roots.push(dir);
    for await (const input of listManifestInputs([path])) {
      inputs.push(input);
      if (dir !== undefined && input.kind === 'file') walked.push(input.path);
    }
  }
  const sources = findRenderSources(roots, walked);
  const found = new Set(walked);
  return {
    // A file named on the command line is read as given, even inside a kustomization.
    inputs:
      sources.length === 0
        ? inputs
        : inputs.filter((i) => i.kind !== 'file' || !found.has(i.path) || !inRenderSource(i.path, sources)),
    sources,
    stdin: paths.includes('-'),
  };
}
