import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifestFiles, loadManifestInputs } from '@pullguard/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { listManifestFiles } from './list-files.js';

const POD =
  'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx:1}]}\n';

describe('listManifestFiles', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pullguard-list-'));
    for (const dir of ['b', 'a/deep', 'node_modules/x', '.git'])
      await mkdir(join(root, dir), { recursive: true });
    for (const file of [
      'b/2.yaml',
      'b/1.json',
      'a/deep/z.yml',
      'a/notes.txt',
      'node_modules/x/m.yaml',
      '.git/c.yaml',
    ]) {
      await writeFile(join(root, file), POD);
    }
    await symlink(join(root, 'b', '1.json'), join(root, 'a', 'link.yaml'));
  });

  it('lists exactly the files loadManifestFiles reads, in the same order', async () => {
    const inputs = [join(root, 'b'), join(root, 'a/notes.txt'), join(root, 'missing.yaml'), root];
    const loaded: (string | undefined)[] = [];
    for await (const l of loadManifestFiles(inputs)) loaded.push(l.file);
    const listed = (await listManifestFiles(inputs))?.map((input) =>
      input.kind === 'stdin' ? '-' : input.path,
    );
    expect(listed).toEqual(loaded);
    expect(listed?.map((f) => f.slice(root.length + 1))).toEqual([
      'b/1.json',
      'b/2.yaml',
      'a/notes.txt',
      'missing.yaml',
      'a/deep/z.yml',
      'a/link.yaml',
      'b/1.json',
      'b/2.yaml',
    ]);
  });

  it('keeps a path that cannot be read, so the thread that loads it reports the error', async () => {
    const missing = join(root, 'missing.yaml');
    const listed = await listManifestFiles([missing]);
    expect(listed).toEqual([{ kind: 'unreadable', path: missing, reason: 'no such file or directory' }]);
    const loaded = [];
    for await (const l of loadManifestInputs(listed ?? [])) loaded.push(l);
    expect(loaded).toMatchObject([{ file: missing, errors: [{ code: 'INPUT_READ_FAILED' }] }]);
  });

  it('lists what loadManifestInputs then loads as listed, with the same results as loadManifestFiles', async () => {
    const inputs = [root, join(root, 'a/notes.txt')];
    const direct = [];
    for await (const l of loadManifestFiles(inputs)) direct.push(l);
    const listed = [];
    for await (const l of loadManifestInputs((await listManifestFiles(inputs)) ?? [])) listed.push(l);
    expect(listed).toEqual(direct);
  });

  it('does not list stdin: an input with - is never split', async () => {
    expect(await listManifestFiles([root, '-'])).toBeUndefined();
  });
});
