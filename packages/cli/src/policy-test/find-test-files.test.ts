import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDiagnostic, PullguardAggregateError } from '@pullguard/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTestFiles } from './find-test-files.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pullguard-tests-'));
  for (const file of [
    'tests/b.pullguard-test.yaml',
    'tests/a.pullguard-test.yml',
    'tests/policy.yaml',
    'tests/.drafts/x.pullguard-test.yaml',
    'tests/node_modules/m.pullguard-test.yaml',
    'shared/s.pullguard-test.yaml',
  ]) {
    await mkdir(join(root, file, '..'), { recursive: true });
    await writeFile(join(root, file), 'name: t\n');
  }
  await symlink(join(root, 'shared'), join(root, 'tests', 'linked'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('findTestFiles: the engine’s walker, for *.pullguard-test.yaml', () => {
  it('finds test files in name order, following links and skipping hidden entries as check does', async () => {
    expect((await findTestFiles(join(root, 'tests'))).map((f) => f.slice(root.length + 1))).toEqual([
      'tests/a.pullguard-test.yml',
      'tests/b.pullguard-test.yaml',
      'tests/linked/s.pullguard-test.yaml',
    ]);
  });

  it('takes a file named explicitly as it is', async () => {
    const file = join(root, 'tests', 'policy.yaml');
    expect(await findTestFiles(file)).toEqual([file]);
  });

  it('fails on what it cannot read in the directory (a link loop), naming each entry', async () => {
    await mkdir(join(root, 'looping'));
    await symlink('.', join(root, 'looping', 'again'));
    const error = await findTestFiles(join(root, 'looping')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PullguardAggregateError);
    const again = join(root, 'looping', 'again');
    expect((error as PullguardAggregateError).diagnostics.map(formatDiagnostic)).toEqual([
      `${again}:1:1: INPUT_READ_FAILED cannot read ${again}: a symbolic link loop (it leads back to ${join(root, 'looping')})`,
    ]);
  });
});
