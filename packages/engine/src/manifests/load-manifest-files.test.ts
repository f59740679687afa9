import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedManifests } from '../engine-api.js';
import {
  listManifestInputs,
  loadManifestFiles,
  loadManifestInputs,
  type ManifestInput,
  STDIN_NAME,
} from './load-manifest-files.js';

const pod = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {containers: [{name: c, image: nginx}]}\n`;

async function collect(iterable: AsyncIterable<LoadedManifests>): Promise<LoadedManifests[]> {
  const all: LoadedManifests[] = [];
  for await (const loaded of iterable) all.push(loaded);
  return all;
}

describe('loadManifestFiles', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pullguard-manifests-'));
    await mkdir(join(root, 'apps', 'web'), { recursive: true });
    await mkdir(join(root, 'node_modules', 'dep'), { recursive: true });
    await mkdir(join(root, '.git'), { recursive: true });
    await writeFile(join(root, 'b.yaml'), pod('b'));
    await writeFile(join(root, 'a.yml'), pod('a'));
    await writeFile(
      join(root, 'apps', 'web', 'pod.json'),
      JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j' } }),
    );
    await writeFile(join(root, 'README.md'), '# not a manifest');
    await writeFile(join(root, 'node_modules', 'dep', 'x.yaml'), pod('dependency'));
    await writeFile(join(root, '.git', 'x.yaml'), pod('git'));
    await writeFile(join(root, 'notes.txt'), pod('explicit'));
    execFileSync('mkfifo', [join(root, 'pipe.yaml')]);
    // A loop, in a directory of its own: walking it must end, and say what it found.
    await mkdir(join(root, 'looping', 'sub'), { recursive: true });
    await writeFile(join(root, 'looping', 'a.yaml'), pod('looped'));
    await symlink(join(root, 'looping'), join(root, 'looping', 'sub', 'back'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('walks directories recursively in name order, reading only .yaml/.yml/.json and skipping node_modules and hidden entries', async () => {
    const loaded = await collect(
      loadManifestFiles([join(root, 'apps'), join(root, 'a.yml'), join(root, 'b.yaml')]),
    );
    expect(loaded.map((l) => l.file?.slice(root.length + 1))).toEqual([
      join('apps', 'web', 'pod.json'),
      'a.yml',
      'b.yaml',
    ]);
    expect(loaded.flatMap((l) => l.objects.map((o) => o.name))).toEqual(['j', 'a', 'b']);
    expect(loaded[1]?.images[0]?.location?.file).toBe(join(root, 'a.yml'));
    const all = await collect(loadManifestFiles([root]));
    expect(all.map((l) => l.file?.slice(root.length + 1))).toEqual([
      'a.yml',
      join('apps', 'web', 'pod.json'),
      'b.yaml',
      join('looping', 'a.yaml'),
      join('looping', 'sub', 'back'),
      'pipe.yaml',
    ]);
    expect(all.flatMap((l) => l.errors.map((e) => e.code))).toEqual([
      'INPUT_READ_FAILED',
      'INPUT_READ_FAILED',
    ]);
  });

  it('fails on a symbolic link loop inside a directory, as on the same path given directly', async () => {
    const back = join(root, 'looping', 'sub', 'back');
    const inside = await collect(loadManifestFiles([join(root, 'looping')]));
    expect(inside.map((l) => l.objects.map((o) => o.name))).toEqual([['looped'], []]);
    expect(inside[1]?.errors).toEqual([
      {
        code: 'INPUT_READ_FAILED',
        message: `cannot read ${back}: a symbolic link loop (it leads back to ${join(root, 'looping')})`,
        location: { file: back, line: 1, column: 1 },
        severity: 'error',
      },
    ]);
    const self = join(root, 'looping', 'self.yaml');
    await symlink('self.yaml', self);
    try {
      const [direct] = await collect(loadManifestFiles([self]));
      expect(direct?.errors.map((e) => e.message)).toEqual([`cannot read ${self}: a symbolic link loop`]);
    } finally {
      await rm(self);
    }
  });

  it('refuses non-regular files at once, without reading them: /dev/zero, a FIFO', async () => {
    const loaded = await collect(loadManifestFiles(['/dev/zero', join(root, 'pipe.yaml')]));
    expect(loaded.flatMap((l) => l.errors.map((e) => e.message))).toEqual([
      'cannot read /dev/zero: not a regular file (a character device); give - to read standard input',
      `cannot read ${join(root, 'pipe.yaml')}: not a regular file (a FIFO); give - to read standard input`,
    ]);
  });

  it('enforces limits.maxFileBytes while reading files and stdin', async () => {
    const limits = { maxFileBytes: 20 };
    const [file] = await collect(loadManifestFiles([join(root, 'b.yaml')], { limits }));
    expect(file?.errors.map((e) => e.message)).toEqual([
      `cannot read ${join(root, 'b.yaml')}: it is larger than the limit of 20 bytes`,
    ]);
    async function* endless() {
      for (;;) yield Buffer.from(pod('x'));
    }
    const [stdin] = await collect(loadManifestFiles(['-'], { limits, stdin: endless() }));
    expect(stdin?.errors.map((e) => e.message)).toEqual([
      'cannot read <stdin>: it is larger than the limit of 20 bytes',
    ]);
  });

  it('lists the same inputs without reading them, so callers can split them between workers', async () => {
    const listed = [];
    for await (const input of listManifestInputs([
      join(root, 'b.yaml'),
      '-',
      join(root, 'nope'),
      join(root, 'apps'),
    ])) {
      listed.push(input.kind === 'stdin' ? '-' : `${input.kind} ${input.path.slice(root.length + 1)}`);
    }
    expect(listed).toEqual([
      'file b.yaml',
      '-',
      'unreadable nope',
      `file ${join('apps', 'web', 'pod.json')}`,
    ]);
  });

  it('reads a file named explicitly whatever its extension, in the order given', async () => {
    const loaded = await collect(loadManifestFiles([join(root, 'notes.txt'), join(root, 'a.yml')]));
    expect(loaded.flatMap((l) => l.objects.map((o) => o.name))).toEqual(['explicit', 'a']);
  });

  it('reads `-` from the given stdin stream', async () => {
    const stdin = Readable.from([
      Buffer.from(pod('from-stdin').slice(0, 20)),
      Buffer.from(pod('from-stdin').slice(20)),
    ]);
    const [loaded] = await collect(loadManifestFiles(['-'], { stdin }));
    expect(loaded?.file).toBe(STDIN_NAME);
    expect(loaded?.objects.map((o) => o.name)).toEqual(['from-stdin']);
    expect(loaded?.images[0]?.location?.file).toBe(STDIN_NAME);
  });

  it('yields INPUT_READ_FAILED for a path that cannot be read, and goes on with the next', async () => {
    const missing = join(root, 'missing.yaml');
    const loaded = await collect(loadManifestFiles([missing, join(root, 'b.yaml')]));
    expect(loaded[0]).toMatchObject({
      file: missing,
      objects: [],
      errors: [{ code: 'INPUT_READ_FAILED', severity: 'error', message: expect.stringContaining(missing) }],
    });
    expect(loaded[1]?.objects.map((o) => o.name)).toEqual(['b']);
  });

  it('loads inputs as listed, without listing them again (a worker loads its share so)', async () => {
    const inputs: ManifestInput[] = [
      { kind: 'file', path: join(root, 'notes.txt') },
      { kind: 'unreadable', path: join(root, 'gone'), reason: 'listed as unreadable' },
      { kind: 'file', path: join(root, 'a.yml') },
    ];
    const loaded = await collect(loadManifestInputs(inputs));
    expect(loaded.map((l) => l.file)).toEqual(inputs.map((i) => (i.kind === 'stdin' ? '-' : i.path)));
    expect(loaded.flatMap((l) => l.objects.map((o) => o.name))).toEqual(['explicit', 'a']);
    expect(loaded[1]?.errors[0]?.message).toBe(`cannot read ${join(root, 'gone')}: listed as unreadable`);
  });

  it('passes load options on (limits, extra kinds)', async () => {
    const [loaded] = await collect(
      loadManifestFiles([join(root, 'b.yaml')], { limits: { maxDocumentBytes: 10 } }),
    );
    expect(loaded?.errors.map((e) => e.code)).toEqual(['DOCUMENT_TOO_LARGE']);
  });
});
