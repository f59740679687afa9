import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifestFiles } from '@pullguard/engine';
import { loadManifestInputs } from '@pullguard/engine/internals';
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
    const listed = (await listManifestFiles(inputs)).inputs.map((input) =>
      input.kind === 'stdin' ? '-' : input.path,
    );
    expect(listed).toEqual(loaded);
    expect(listed.map((f) => f.slice(root.length + 1))).toEqual([
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
    const { inputs: listed } = await listManifestFiles([missing]);
    expect(listed).toEqual([{ kind: 'unreadable', path: missing, reason: 'no such file or directory' }]);
    const loaded = [];
    for await (const l of loadManifestInputs(listed)) loaded.push(l);
    expect(loaded).toMatchObject([{ file: missing, errors: [{ code: 'INPUT_READ_FAILED' }] }]);
  });

  it('lists what loadManifestInputs then loads as listed, with the same results as loadManifestFiles', async () => {
    const inputs = [root, join(root, 'a/notes.txt')];
    const direct = [];
    for await (const l of loadManifestFiles(inputs)) direct.push(l);
    const listed = [];
    for await (const l of loadManifestInputs((await listManifestFiles(inputs)).inputs)) listed.push(l);
    expect(listed).toEqual(direct);
  });

  it('lists stdin in its place and says so: an input with - is never split', async () => {
    const listed = await listManifestFiles([join(root, 'b'), '-']);
    expect(listed.stdin).toBe(true);
    expect(listed.inputs.at(-1)).toEqual({ kind: 'stdin' });
  });
});

describe('listManifestFiles: kustomizations and Helm charts', () => {
  let root: string;
  const tree: Record<string, string> = {
    'deploy/base/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'deploy/base/deployment.yaml': POD,
    'deploy/overlays/prod/Kustomization': 'resources: [../../base]\n',
    'deploy/overlays/prod/patches/replicas.yaml': 'spec: { replicas: 3 }\n',
    'deploy/raw/pod.yaml': POD,
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
    'charts/web/templates/deployment.yaml': 'image: {{ .Values.image }}\n',
    'charts/web/charts/db/Chart.yaml': 'apiVersion: v2\nname: db\nversion: 1.0.0\n',
    'charts/web/charts/db/templates/sts.yaml': POD,
    'overlay-only/kustomization.yml': 'resources: []\n',
  };
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pullguard-sources-'));
    for (const [file, text] of Object.entries(tree)) {
      await mkdir(join(root, file, '..'), { recursive: true });
      await writeFile(join(root, file), text);
    }
  });
  const rel = (path: string) => path.slice(root.length + 1);

  it('finds the outermost kustomizations (any of the three file names) and charts, and leaves their files out', async () => {
    const listed = await listManifestFiles([join(root, 'deploy'), join(root, 'charts')]);
    expect(listed.sources.map((s) => [rel(s.dir), s.tool, rel(s.marker)])).toEqual([
      ['charts/web', 'helm', 'charts/web/Chart.yaml'],
      ['deploy/base', 'kustomize', 'deploy/base/kustomization.yaml'],
      ['deploy/overlays/prod', 'kustomize', 'deploy/overlays/prod/Kustomization'],
    ]);
    expect(listed.inputs.map((i) => (i.kind === 'file' ? rel(i.path) : i.kind))).toEqual([
      'deploy/raw/pod.yaml',
    ]);
  });

  it('treats a directory given that is a kustomization like one found in a walk, trailing slash or not', async () => {
    for (const dir of [join(root, 'overlay-only'), `${join(root, 'overlay-only')}/`]) {
      const listed = await listManifestFiles([dir]);
      expect(listed.sources.map((s) => rel(s.dir))).toEqual(['overlay-only']);
      expect(listed.inputs).toEqual([]);
    }
  });

  it('reads a file named on the command line as given, even inside a kustomization', async () => {
    const file = join(root, 'deploy/base/deployment.yaml');
    const listed = await listManifestFiles([file]);
    expect(listed.sources).toEqual([]);
    expect(listed.inputs).toEqual([{ kind: 'file', path: file }]);
  });
});
