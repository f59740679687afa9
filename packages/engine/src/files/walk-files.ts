/**
 * The one directory walker: manifests (`check`, `fix`, test cases), policy files and policy test
 * files are all found by it, so that they agree on what a directory holds. The rule (docs/cli.md
 * "Which files are read"):
 *
 * - A path named explicitly is read whatever its name (hidden, any extension) when it is a regular
 *   file or a symbolic link to one; a directory is walked.
 * - A walked directory's entries come in name order (UTF-16 code units, as JavaScript sorts), a
 *   subdirectory walked where its name sorts. Hidden entries (a name starting with `.`: `.git`,
 *   `.github`, and a mounted ConfigMap's `..data` and `..2024_…` directories, whose files the
 *   visible links already show) and `node_modules` are skipped; a file is kept when `include`
 *   accepts its name.
 * - Symbolic links are followed, to files and to directories, and the walk reports the path it
 *   took (`policies/prod.yaml`, not `..data/prod.yaml`).
 * - Nothing is skipped in silence: a link that leads back to a directory being walked (a loop), a
 *   link whose target does not exist, an entry that cannot be examined and a directory that cannot
 *   be listed are `unreadable` entries, in order. Non-regular files (FIFOs, sockets, devices) are
 *   `unreadable` where they would have been read (named explicitly, or accepted by `include`) and
 *   otherwise ignored like any other name `include` does not accept.
 */
import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describeFileError, describeFileType } from './read-text.js';

export type WalkEntry =
  | { kind: 'file'; path: string }
  /** `reason` says why in words: `a symbolic link loop (it leads back to dir)`, `permission denied`. */
  | { kind: 'unreadable'; path: string; reason: string };

export interface WalkOptions {
  /** Which file names inside walked directories are wanted (files named explicitly always are). */
  include(name: string): boolean;
  /** Base of relative paths (default: the process's working directory); paths are yielded as given. */
  cwd?: string | undefined;
}

/** A directory being walked, by identity (device and inode survive symbolic links). */
interface Ancestor {
  id: string;
  path: string;
}

/** The files under `path` (see the module comment), yielded one at a time, directories listed as consumed. */
export async function* walkPath(
  path: string,
  options: WalkOptions,
): AsyncGenerator<WalkEntry, void, undefined> {
  const absolute = resolve(options.cwd ?? process.cwd(), path);
  let stats: Stats;
  try {
    stats = await stat(absolute);
  } catch (error) {
    yield { kind: 'unreadable', path, reason: await describeStatError(absolute, error) };
    return;
  }
  if (stats.isDirectory()) yield* walkDirectory(absolute, path, stats, [], options);
  else if (stats.isFile()) yield { kind: 'file', path };
  else {
    const reason = `not a regular file (${describeFileType(stats)}); give - to read standard input`;
    yield { kind: 'unreadable', path, reason };
  }
}

async function* walkDirectory(
  absolute: string,
  shown: string,
  stats: Stats,
  ancestors: readonly Ancestor[],
  options: WalkOptions,
): AsyncGenerator<WalkEntry, void, undefined> {
  const here = [...ancestors, { id: identity(stats), path: shown }];
  let entries: Dirent[];
  try {
    entries = await readdir(absolute, { withFileTypes: true });
  } catch (error) {
    yield { kind: 'unreadable', path: shown, reason: describeFileError(error) };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(shown, entry.name);
    if (entry.isFile()) {
      if (options.include(entry.name)) yield { kind: 'file', path };
      continue;
    }
    if (!entry.isDirectory() && !entry.isSymbolicLink()) {
      if (options.include(entry.name)) {
        yield { kind: 'unreadable', path, reason: `not a regular file (${describeFileType(entry)})` };
      }
      continue;
    }
    const child = join(absolute, entry.name);
    let target: Stats;
    try {
      target = await stat(child);
    } catch (error) {
      yield { kind: 'unreadable', path, reason: await describeStatError(child, error) };
      continue;
    }
    if (target.isDirectory()) {
      const loop = here.find((a) => a.id === identity(target));
      if (loop)
        yield { kind: 'unreadable', path, reason: `a symbolic link loop (it leads back to ${loop.path})` };
      else yield* walkDirectory(child, path, target, here, options);
    } else if (options.include(entry.name)) {
      yield target.isFile()
        ? { kind: 'file', path }
        : { kind: 'unreadable', path, reason: `not a regular file (${describeFileType(target)})` };
    }
  }
}

function identity(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

/** A failed stat in words; a link whose target is missing is said so, not "no such file". */
async function describeStatError(path: string, error: unknown): Promise<string> {
  if ((error as { code?: unknown }).code === 'ENOENT') {
    const link = await lstat(path).catch(() => undefined);
    if (link?.isSymbolicLink()) return 'a symbolic link whose target does not exist';
  }
  return describeFileError(error);
}
