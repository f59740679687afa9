import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const TEST_FILE = /\.pullguard-test\.ya?ml$/;
const SKIPPED = new Set(['node_modules', '.git']);

/** `*.pullguard-test.yaml` (or `.yml`) under `path`, sorted; a file path is returned as is. */
export async function findTestFiles(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory() && !SKIPPED.has(entry.name)) await walk(full);
      else if (entry.isFile() && TEST_FILE.test(entry.name)) out.push(full);
    }
  };
  await walk(path);
  return out;
}
