import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostic, PullguardAggregateError } from '../errors.js';
import { loadPolicies, readPolicies } from './load-policies.js';

const policy = (name: string) =>
  `apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata: { name: ${name} }\nspec:\n  namespaces: ["*"]\n`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pullguard-policies-'));
  await mkdir(join(dir, 'tree', 'nested'), { recursive: true });
  await mkdir(join(dir, 'tree', '.hidden'), { recursive: true });
  await writeFile(join(dir, 'tree', 'b.yaml'), policy('b'));
  await writeFile(join(dir, 'tree', 'a.yml'), `${policy('a1')}---\n${policy('a2')}`);
  await writeFile(
    join(dir, 'tree', 'nested', 'c.json'),
    JSON.stringify({
      apiVersion: 'pullguard.dev/v1',
      kind: 'PullPolicy',
      metadata: { name: 'c' },
      spec: { namespaces: [] },
    }),
  );
  await writeFile(join(dir, 'tree', 'README.md'), '# not a policy');
  await writeFile(join(dir, 'tree', '.hidden', 'x.yaml'), 'not: [valid');
  await mkdir(join(dir, 'empty'));
  await writeFile(join(dir, 'broken.yaml'), `${policy('ok')}---\nkind: PullPolicy\nspec: {}\n`);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loading policy files and directories', () => {
  it('reads directories recursively, in sorted order, only .yaml/.yml/.json', async () => {
    const documents = await loadPolicies(['tree'], { cwd: dir });
    expect(documents.map((d) => [d.name, d.file])).toEqual([
      ['a1', join('tree', 'a.yml')],
      ['a2', join('tree', 'a.yml')],
      ['b', join('tree', 'b.yaml')],
      ['c', join('tree', 'nested', 'c.json')],
    ]);
  });

  it('collects every error, including unreadable paths, in one aggregate error', async () => {
    const error = await loadPolicies(['broken.yaml', 'missing.yaml'], { cwd: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PullguardAggregateError);
    expect((error as PullguardAggregateError).diagnostics.map(formatDiagnostic)).toEqual([
      'broken.yaml:7:1: POLICY_SCHEMA missing required field "apiVersion" (at apiVersion)',
      'broken.yaml:7:1: POLICY_SCHEMA missing required field "metadata" (at metadata)',
      'broken.yaml:8:1: POLICY_SCHEMA a policy needs `namespaces` (["*"] for every namespace, [] for none) or `namespaceSelector` (at spec)',
      'missing.yaml:1:1: POLICY_READ_FAILED cannot read missing.yaml: no such file or directory',
    ]);
  });

  it('says so when no policy is found', async () => {
    const { documents, errors } = await readPolicies(['empty'], { cwd: dir });
    expect(documents).toEqual([]);
    expect(errors.map(formatDiagnostic)).toEqual(['POLICY_NONE no PullPolicy documents found in empty']);
  });

  it('reads a mounted ConfigMap: each policy once, through the links Kubernetes maintains', async () => {
    // kubelet's atomic writer: files in a timestamped hidden directory, `..data` pointing at it,
    // and one visible link per key into `..data`.
    const mount = join(dir, 'configmap');
    await mkdir(join(mount, '..2024_06_01_12_00_00.123'), { recursive: true });
    await writeFile(join(mount, '..2024_06_01_12_00_00.123', 'prod.yaml'), policy('prod'));
    await symlink('..2024_06_01_12_00_00.123', join(mount, '..data'));
    await symlink(join('..data', 'prod.yaml'), join(mount, 'prod.yaml'));
    const documents = await loadPolicies(['configmap'], { cwd: dir });
    expect(documents.map((d) => [d.name, d.file])).toEqual([['prod', join('configmap', 'prod.yaml')]]);
  });

  it('fails on a symbolic link loop or a link to nothing in a policy directory', async () => {
    await mkdir(join(dir, 'looping', 'sub'), { recursive: true });
    await writeFile(join(dir, 'looping', 'ok.yaml'), policy('looping'));
    await symlink('..', join(dir, 'looping', 'sub', 'back'));
    await symlink('gone.yaml', join(dir, 'looping', 'dangling.yaml'));
    const { errors } = await readPolicies(['looping'], { cwd: dir });
    expect(errors.map(formatDiagnostic)).toEqual([
      'looping/dangling.yaml:1:1: POLICY_READ_FAILED cannot read looping/dangling.yaml: a symbolic link whose target does not exist',
      'looping/sub/back:1:1: POLICY_READ_FAILED cannot read looping/sub/back: a symbolic link loop (it leads back to looping)',
    ]);
  });

  it('reads within limits.maxFileBytes, enforced while reading', async () => {
    const { errors } = await readPolicies(['tree/b.yaml'], { cwd: dir, limits: { maxFileBytes: 10 } });
    expect(errors.map(formatDiagnostic)).toEqual([
      'tree/b.yaml:1:1: POLICY_READ_FAILED cannot read tree/b.yaml: it is larger than the limit of 10 bytes',
    ]);
  });

  it('readPolicies returns the valid documents next to the errors', async () => {
    const { documents, errors } = await readPolicies(['broken.yaml'], { cwd: dir });
    expect(documents.map((d) => d.name)).toEqual(['ok']);
    expect(errors).toHaveLength(3);
  });
});
