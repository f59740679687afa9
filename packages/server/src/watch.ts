import { type FSWatcher, statSync, watch } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Logger } from './logger.js';

export interface Watcher {
  close(): void;
}

/**
 * Calls `onChange` once after a burst of changes under `paths` settles (`debounceMs`).
 *
 * Directories are watched recursively; a file is watched through its directory, not its inode:
 * editors replace files by rename, and Kubernetes updates mounted ConfigMaps and Secrets by
 * swapping a `..data` symlink, both of which a watch on the file itself would miss after the
 * first change.
 */
export function watchPaths(
  paths: readonly string[],
  onChange: () => void,
  options: { debounceMs: number; logger: Logger; cwd?: string | undefined },
): Watcher {
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  const trigger = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, options.debounceMs);
  };
  const targets = new Map<string, boolean>();
  for (const path of paths) {
    const absolute = resolve(options.cwd ?? process.cwd(), path);
    let isDirectory = false;
    try {
      isDirectory = statSync(absolute).isDirectory();
    } catch {
      // Missing now: watch the parent so that creating it is noticed.
    }
    const dir = isDirectory ? absolute : dirname(absolute);
    targets.set(dir, (targets.get(dir) ?? false) || isDirectory);
  }
  for (const [dir, recursive] of targets) {
    try {
      const watcher = watch(dir, { recursive, persistent: false }, trigger);
      watcher.on('error', (error) => options.logger.warn({ dir, err: error }, 'file watch failed'));
      watchers.push(watcher);
    } catch (error) {
      options.logger.warn({ dir, err: error }, 'cannot watch for changes');
    }
  }
  return {
    close() {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
