import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WalkEntry, walkPath } from './walk-files.js';

const YAML = /\.(?:ya?ml|json)$/i;
const isRoot = process.getuid?.() === 0;

/** The entries of walking `path` (relative to `root`), as `file x` / `unreadable x: reason`. */
async function walk(root: string, path: string, cwd = root): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of walkPath(path, { include: (name) => YAML.test(name), cwd }))
    out.push(show(entry));
  return out;
}

const show = (entry: WalkEntry) =>
  entry.kind === 'file' ? `file ${entry.path}` : `unreadable ${entry.path}: ${entry.reason}`;

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pullguard-walk-'));
  const files = [
    'tree/b.yaml',
    'tree/a.yml',
    'tree/README.md',
    'tree/apps/web/pod.json',
    'tree/node_modules/dep/x.yaml',
    'tree/.git/x.yaml',
    'tree/.github/workflows/ci.yml',
    'tree/.hidden.yaml',
    'shared/common.yaml',
  ];
  for (const file of files) {
    await mkdir(join(root, file, '..'), { recursive: true });
    await writeFile(join(root, file), 'kind: Pod\n');
  }
  await symlink(join(root, 'tree', 'b.yaml'), join(root, 'tree', 'c-link.yaml'));
  await symlink(join(root, 'shared'), join(root, 'tree', 'apps', 'shared'));
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('walkPath: the one directory walker (manifests, policies, policy tests)', () => {
  it('lists a directory in name order, walking subdirectories where they sort, skipping hidden entries and node_modules', async () => {
    expect(await walk(root, 'tree')).toEqual([
      'file tree/a.yml',
      'file tree/apps/shared/common.yaml',
      'file tree/apps/web/pod.json',
      'file tree/b.yaml',
      'file tree/c-link.yaml',
    ]);
  });

  it('follows symbolic links to files and to directories, keeping the path as walked', async () => {
    const walked = await walk(root, 'tree');
    expect(walked).toContain('file tree/c-link.yaml');
    expect(walked).toContain('file tree/apps/shared/common.yaml');
  });

  it('reads a path named explicitly, hidden or not, whatever its extension; resolves it from cwd', async () => {
    expect(await walk(root, 'tree/.hidden.yaml')).toEqual(['file tree/.hidden.yaml']);
    expect(await walk(root, 'tree/README.md')).toEqual(['file tree/README.md']);
    expect(await walk(root, 'tree/.github')).toEqual(['file tree/.github/workflows/ci.yml']);
    expect(await walk(root, join(root, 'tree', 'a.yml'), '/')).toEqual([
      `file ${join(root, 'tree', 'a.yml')}`,
    ]);
  });

  it('reports a path that does not exist', async () => {
    expect(await walk(root, 'nope.yaml')).toEqual(['unreadable nope.yaml: no such file or directory']);
  });

  it('reads each file of a mounted ConfigMap once, through its visible links (..data and ..2024_… are hidden)', async () => {
    const mount = join(root, 'configmap');
    await mkdir(join(mount, '..2024_06_01_12_00_00.123'), { recursive: true });
    await writeFile(join(mount, '..2024_06_01_12_00_00.123', 'policy.yaml'), 'kind: PullPolicy\n');
    await symlink('..2024_06_01_12_00_00.123', join(mount, '..data'));
    await symlink(join('..data', 'policy.yaml'), join(mount, 'policy.yaml'));
    expect(await walk(root, 'configmap')).toEqual(['file configmap/policy.yaml']);
  });

  it('walks a directory reached through several links once: links forming a lattice cannot make it exponential', async () => {
    // d0 → (a, b) → d1 → (a, b) → … → d40/pod.yaml: 2^40 paths lead to the one file. A repository
    // that holds this must not hang a CI run (walked path by path, 24 levels took minutes and GBs).
    const lattice = join(root, 'lattice');
    const depth = 40;
    for (let i = 0; i <= depth; i++) await mkdir(join(lattice, `d${i}`), { recursive: true });
    for (let i = 0; i < depth; i++) {
      await symlink(`../d${i + 1}`, join(lattice, `d${i}`, 'a'));
      await symlink(`../d${i + 1}`, join(lattice, `d${i}`, 'b'));
    }
    await writeFile(join(lattice, `d${depth}`, 'pod.yaml'), 'kind: Pod\n');
    expect(await walk(root, 'lattice/d0')).toEqual([`file lattice/d0${'/a'.repeat(depth)}/pod.yaml`]);
    // A directory seen first through a link is not walked again under its own name either.
    await symlink('shared', join(root, 'lattice', 'a-shared'));
    await mkdir(join(lattice, 'shared'));
    await writeFile(join(lattice, 'shared', 'x.yaml'), 'kind: Pod\n');
    expect((await walk(root, 'lattice')).filter((e) => e.includes('x.yaml'))).toEqual([
      'file lattice/a-shared/x.yaml',
    ]);
  });

  describe('what cannot be read is reported where it is, and the walk goes on', () => {
    let bad: string;
    beforeAll(async () => {
      bad = join(root, 'bad');
      await mkdir(join(bad, 'sub'), { recursive: true });
      await writeFile(join(bad, 'ok.yaml'), 'kind: Pod\n');
      await symlink('..', join(bad, 'sub', 'back')); // sub/back → bad: a loop
      await symlink('self.yaml', join(bad, 'self.yaml')); // a link to itself
      await symlink('missing.yaml', join(bad, 'dangling.yaml'));
      execFileSync('mkfifo', [join(bad, 'pipe.yaml')]);
      execFileSync('mkfifo', [join(bad, 'pipe.txt')]); // not a name the walk reads: ignored
    });

    it('reports symbolic link loops, links to nothing and non-regular files it would have read', async () => {
      expect(await walk(root, 'bad')).toEqual([
        'unreadable bad/dangling.yaml: a symbolic link whose target does not exist',
        'file bad/ok.yaml',
        'unreadable bad/pipe.yaml: not a regular file (a FIFO)',
        'unreadable bad/self.yaml: a symbolic link loop',
        'unreadable bad/sub/back: a symbolic link loop (it leads back to bad)',
      ]);
    });

    it('reports a non-regular file named explicitly, pointing stdin readers to -', async () => {
      expect(await walk(root, 'bad/pipe.txt')).toEqual([
        'unreadable bad/pipe.txt: not a regular file (a FIFO); give - to read standard input',
      ]);
      expect(await walk(root, '/dev/zero', '/')).toEqual([
        'unreadable /dev/zero: not a regular file (a character device); give - to read standard input',
      ]);
    });

    it.skipIf(isRoot)(
      'reports a directory it may not list (skipped as root, who may list any directory)',
      async () => {
        const locked = join(root, 'locked');
        await mkdir(join(locked, 'inner'), { recursive: true });
        await chmod(join(locked, 'inner'), 0o000);
        try {
          expect(await walk(root, 'locked')).toEqual(['unreadable locked/inner: permission denied']);
        } finally {
          await chmod(join(locked, 'inner'), 0o755);
        }
      },
    );
  });
});
