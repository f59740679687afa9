import { type Diagnostic, PullguardAggregateError } from '@pullguard/engine';
import { readFailure, walkPath } from '@pullguard/engine/internals';

const TEST_FILE = /\.pullguard-test\.ya?ml$/;

/**
 * `*.pullguard-test.yaml` (or `.yml`) under `path`, found by the engine's walker as `check` finds
 * manifests (name order, hidden entries and node_modules skipped, symbolic links followed); a file
 * path is returned as is. Anything under `path` that cannot be read — a link loop, a directory it
 * may not list — fails the run: one PullguardAggregateError naming every such entry.
 */
export async function findTestFiles(path: string): Promise<string[]> {
  const files: string[] = [];
  const unreadable: Diagnostic[] = [];
  for await (const entry of walkPath(path, { include: (name) => TEST_FILE.test(name) })) {
    if (entry.kind === 'file') files.push(entry.path);
    else unreadable.push(readFailure('INPUT_READ_FAILED', entry.path, entry.reason));
  }
  if (unreadable.length > 0) {
    throw new PullguardAggregateError(
      `${unreadable.length} path(s) under ${path} cannot be read`,
      unreadable,
    );
  }
  return files;
}
