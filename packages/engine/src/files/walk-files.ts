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
 *   took (`policies/prod.yaml`, not `..data/prod.yaml`). Each directory is walked once: reached
 *   again through another link (or under its own name after a link), it is passed over, since
 *   its files were read under the first path. Links that form a lattice (d0/a and d0/b → d1, …)
 *   would otherwise be walked once per path, 2^depth times.
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
export function walkPath(path: string, options: WalkOptions): AsyncGenerator<WalkEntry, void, undefined> {
  const walk: Walk = { options, walked: new Set() };
  return visit(resolve(options.cwd ?? process.cwd(), path), path, 'named', [], walk);
}

/** One walk: its options, and the identities of the directories it has walked. */
interface Walk {
  options: WalkOptions;
  walked: Set<string>;
}

/**
 * One path, symbolic links followed: a directory is walked (unless it is one of `ancestors`: a
 * loop; or walked already through another path); a file or a non-regular file counts only when `wanted` — named explicitly, or accepted by
 * `include` — and a path that cannot be examined always does (it might have been a directory).
 */
async function* visit(
  absolute: string,
  shown: string,
  wanted: 'named' | boolean,
  ancestors: readonly Ancestor[],
  walk: Walk,
): AsyncGenerator<WalkEntry, void, undefined> {
  let stats: Stats;
  try {
    stats = await stat(absolute);
  } catch (error) {
    yield unreadable(shown, await describeStatError(absolute, error));
    return;
  }
  if (stats.isDirectory()) {
    const id = identity(stats);
    const loop = ancestors.find((a) => a.id === id);
    if (loop) yield unreadable(shown, `a symbolic link loop (it leads back to ${loop.path})`);
    else if (!walk.walked.has(id)) {
      walk.walked.add(id);
      yield* walkDirectory(absolute, shown, [...ancestors, { id, path: shown }], walk);
    }
  } else if (stats.isFile()) {
    if (wanted) yield { kind: 'file', path: shown };
  } else if (wanted) {
    const hint = wanted === 'named' ? '; give - to read standard input' : '';
    yield unreadable(shown, `not a regular file (${describeFileType(stats)})${hint}`);
  }
}

async function* walkDirectory(
  absolute: string,
  shown: string,
  ancestors: readonly Ancestor[],
  walk: Walk,
): AsyncGenerator<WalkEntry, void, undefined> {
  let entries: Dirent[];
  try {
    entries = await readdir(absolute, { withFileTypes: true });
  } catch (error) {
    yield unreadable(shown, describeFileError(error));
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(shown, entry.name);
    const wanted = walk.options.include(entry.name);
    // Regular files and special files are known from the listing; only directories and links need a stat.
    if (entry.isDirectory() || entry.isSymbolicLink()) {
      yield* visit(join(absolute, entry.name), path, wanted, ancestors, walk);
    } else if (entry.isFile()) {
      if (wanted) yield { kind: 'file', path };
    } else if (wanted) {
      yield unreadable(path, `not a regular file (${describeFileType(entry)})`);
    }
  }
}

function unreadable(path: string, reason: string): WalkEntry {
  return { kind: 'unreadable', path, reason };
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
