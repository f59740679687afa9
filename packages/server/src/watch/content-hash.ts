import { createHash, type Hash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A digest of what `paths` hold: for a directory, the name and content of every file below it
 * (following symbolic links, as a mounted ConfigMap's files are links into its `..data`
 * directory; skipping names that start with a dot, as the policy loader does, so an editor's swap
 * file does not count); for a file, its content; for a missing path, that it is missing. Two
 * digests differ exactly when a reload could read something different.
 */
export async function contentHash(paths: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const path of paths) await addPath(hash, path, path, new Set());
  return hash.digest('hex');
}

async function addPath(hash: Hash, path: string, shown: string, seen: Set<string>): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    hash.update(`missing ${shown} ${(error as NodeJS.ErrnoException).code ?? ''}\0`);
    return;
  }
  if (info.isDirectory()) {
    // A link back up the tree would loop forever: each directory is read once.
    const identity = `${info.dev}:${info.ino}`;
    if (seen.has(identity)) return;
    seen.add(identity);
    let names: string[];
    try {
      names = (await readdir(path)).sort();
    } catch (error) {
      hash.update(`unreadable ${shown} ${(error as NodeJS.ErrnoException).code ?? ''}\0`);
      return;
    }
    hash.update(`dir ${shown}\0`);
    for (const name of names) {
      if (!name.startsWith('.')) await addPath(hash, join(path, name), join(shown, name), seen);
    }
    return;
  }
  if (!info.isFile()) {
    hash.update(`other ${shown}\0`);
    return;
  }
  try {
    const content = await readFile(path);
    hash.update(`file ${shown} ${content.length}\0`);
    hash.update(content);
  } catch (error) {
    hash.update(`unreadable ${shown} ${(error as NodeJS.ErrnoException).code ?? ''}\0`);
  }
}
