import { type FSWatcher, watch as fsWatch } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Logger } from '../logger.js';
import { NODE_TIMERS, type Timers } from '../timers.js';
import { contentHash } from './content-hash.js';

export interface Watcher {
  /** Resolves once every directory is watched (changes from then on are seen). */
  readonly ready: Promise<void>;
  /**
   * Re-establishes lost watches and compares the contents with those last reported (what the
   * interval runs); calls `onChange` and resolves true when they differ.
   */
  check(): Promise<boolean>;
  close(): void;
}

/** `fs.watch` on one directory, not recursive (injected by tests to lose events on purpose). */
export type WatchDirectory = (dir: string, listener: (name: string | null) => void) => FSWatcher;

export interface WatchFilesOptions {
  /** A burst of changes settles for this long before `onChange` runs. */
  debounceMs: number;
  /** How often `check` runs; 0 turns the periodic check off. */
  intervalMs: number;
  logger: Logger;
  cwd?: string | undefined;
  timers?: Timers | undefined;
  watchDirectory?: WatchDirectory | undefined;
}

const watchDirectoryWithNode: WatchDirectory = (dir, listener) =>
  fsWatch(dir, { persistent: false }, (_event, name) => listener(name));

/** A watched directory: its watch, and the identity of the directory it was made on (another one means it was replaced). */
interface Watched {
  watcher: FSWatcher;
  identity: string;
}

/**
 * Calls `onChange` once after a burst of changes under `paths` settles.
 *
 * Watches follow inodes, and files are replaced rather than rewritten: editors save by rename
 * (`sed -i`, vim's backup-and-rename, `mv tmp file`), Kubernetes updates mounted ConfigMaps and
 * Secrets by swapping a `..data` symlink, and a directory can be moved away and back. So no file is
 * watched itself: every *directory* involved is — each directory of a policy tree (Node's
 * recursive fs.watch on Linux watches files, and loses a file once it is replaced), and the parent
 * of every path, whose events for that name (moved away, moved back, replaced, created) re-read
 * the tree. For a file, its directory's events count for its own name and for the `..`-prefixed
 * names of a ConfigMap's internals. What events can still miss — an ancestor replaced, an event
 * lost — the periodic `check` catches: it re-establishes every watch whose directory is not the
 * one watched, and compares the contents (contentHash) with those last reported.
 */
export function watchFiles(
  paths: readonly string[],
  onChange: () => void,
  options: WatchFilesOptions,
): Watcher {
  const timers = options.timers ?? NODE_TIMERS;
  const watchDirectory = options.watchDirectory ?? watchDirectoryWithNode;
  const { logger } = options;
  const targets = [...new Set(paths.map((p) => resolve(options.cwd ?? process.cwd(), p)))];
  const watched = new Map<string, Watched>();
  let closed = false;
  let debounce: unknown;
  let lastHash: Promise<string> = contentHash(targets);

  // Reported once a burst settles, with the contents seen then (what the reload reads).
  const report = () => {
    lastHash = contentHash(targets);
    void lastHash.then(() => {
      if (!closed) onChange();
    });
  };
  const changed = () => {
    if (closed) return;
    timers.clearTimeout(debounce);
    debounce = timers.setTimeout(report, options.debounceMs);
  };

  /** Which entry names of `dir` matter, and whether an event there can change the set of directories. */
  const interest = (dir: string, name: string): { relevant: boolean; resync: boolean } => {
    let relevant = false;
    let resync = false;
    for (const target of targets) {
      if (dir === dirname(target) && (name === basename(target) || name.startsWith('..'))) {
        relevant = true;
        resync = true;
      }
      if (dir === target || dir.startsWith(`${target}/`)) {
        relevant = true;
        resync = true;
      }
    }
    return { relevant, resync };
  };

  /** The directories to watch now: each path's parent, and every directory of each directory path. */
  const directories = async (): Promise<Set<string>> => {
    const dirs = new Set<string>();
    const walk = async (dir: string, seen: Set<string>): Promise<void> => {
      let info: Awaited<ReturnType<typeof stat>>;
      try {
        info = await stat(dir);
      } catch {
        return;
      }
      const identity = `${info.dev}:${info.ino}`;
      if (!info.isDirectory() || seen.has(identity)) return;
      seen.add(identity);
      dirs.add(dir);
      const names = await readdir(dir).catch(() => [] as string[]);
      // Hidden directories are skipped, as the policy loader skips them (a ConfigMap's `..2024_…`
      // directories are never changed in place: its `..data` swap is seen in the mount itself).
      for (const name of names) if (!name.startsWith('.')) await walk(join(dir, name), seen);
    };
    for (const target of targets) {
      dirs.add(dirname(target));
      await walk(target, new Set());
    }
    return dirs;
  };

  const unwatch = (dir: string) => {
    watched.get(dir)?.watcher.close();
    watched.delete(dir);
  };

  const watchOne = async (dir: string): Promise<void> => {
    // Inode numbers are reused at once (a directory deleted and made again often gets the same
    // one): its birth time tells them apart.
    const identity = await stat(dir).then(
      (s) => (s.isDirectory() ? `${s.dev}:${s.ino}:${s.birthtimeMs}` : undefined),
      () => undefined,
    );
    const current = watched.get(dir);
    if (current !== undefined && current.identity === identity) return;
    unwatch(dir);
    if (identity === undefined || closed) return; // missing now: a later event or check watches it
    try {
      const watcher = watchDirectory(dir, (name) => {
        // No name (some platforms): assume it matters.
        const { relevant, resync } = name === null ? { relevant: true, resync: true } : interest(dir, name);
        if (!relevant) return;
        if (resync) void sync();
        changed();
      });
      // A watched directory that is deleted ends its watch with an error: `sync` watches it again.
      watcher.on('error', (error) => {
        logger.debug({ dir, err: error }, 'file watch ended');
        if (watched.get(dir)?.watcher === watcher) watched.delete(dir);
        watcher.close();
        void sync();
        changed();
      });
      watched.set(dir, { watcher, identity });
    } catch (error) {
      logger.warn({ dir, err: error }, 'cannot watch for changes; the periodic check still reloads');
    }
  };

  // One sync at a time; a sync asked for while one runs runs again after it, on fresh state.
  let syncing: Promise<void> = Promise.resolve();
  let pending: Promise<void> | undefined;
  const sync = (): Promise<void> => {
    pending ??= syncing.then(async () => {
      pending = undefined;
      if (closed) return;
      const wanted = await directories();
      for (const dir of [...watched.keys()]) if (!wanted.has(dir)) unwatch(dir);
      for (const dir of wanted) await watchOne(dir);
    });
    syncing = pending;
    return pending;
  };
  const ready = sync();

  let checking: Promise<boolean> | undefined;
  const check = (): Promise<boolean> => {
    checking ??= (async () => {
      await ready;
      await sync();
      const [before, now] = await Promise.all([lastHash, contentHash(targets)]);
      if (closed || before === now) return false;
      logger.info({ paths: targets }, 'files changed without a file event; reloading');
      lastHash = Promise.resolve(now);
      onChange();
      return true;
    })().finally(() => {
      checking = undefined;
    });
    return checking;
  };

  const interval =
    options.intervalMs > 0 ? timers.setInterval(() => void check(), options.intervalMs) : undefined;

  return {
    ready,
    check,
    close() {
      closed = true;
      timers.clearTimeout(debounce);
      if (interval !== undefined) timers.clearInterval(interval);
      for (const dir of [...watched.keys()]) unwatch(dir);
    },
  };
}
