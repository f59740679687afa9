import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic, PullguardError } from '@pullguard/engine';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/processes.js';
import { loadDockerConfig, loadRegistryAuthFile } from './config-files.js';

const dir = tempDir('pullguard-config-files-');
afterAll(() => dir.remove());
const file = (name: string, content: string) => {
  const path = join(dir.path, name);
  writeFileSync(path, content);
  return path;
};
const dockerconfigjson = (auths: object) => Buffer.from(JSON.stringify({ auths })).toString('base64');

describe('loadDockerConfig', () => {
  it('reads $DOCKER_CONFIG/config.json before ~/.docker/config.json, and no file means no credentials', () => {
    mkdirSync(join(dir.path, 'custom'));
    writeFileSync(
      join(dir.path, 'custom', 'config.json'),
      JSON.stringify({ auths: { 'a.io': { auth: 'dTpw' } } }),
    );
    expect(
      loadDockerConfig({ DOCKER_CONFIG: join(dir.path, 'custom') }, '/nonexistent').auths.get('a.io'),
    ).toEqual({
      kind: 'basic',
      username: 'u',
      password: 'p',
    });
    expect(loadDockerConfig({}, join(dir.path, 'nobody')).auths.size).toBe(0);
  });

  it('names the file of a malformed config', () => {
    mkdirSync(join(dir.path, 'broken'));
    writeFileSync(join(dir.path, 'broken', 'config.json'), '{ not json');
    expect(() => loadDockerConfig({ DOCKER_CONFIG: join(dir.path, 'broken') }, '/')).toThrow(
      `${join(dir.path, 'broken', 'config.json')}: not valid JSON`,
    );
  });
});

describe('loadRegistryAuthFile (--registry-auth)', () => {
  it('reads a List of Secrets, stringData over data, and several YAML documents', () => {
    const path = file(
      'secrets.yaml',
      [
        'apiVersion: v1',
        'kind: List',
        'items:',
        '- apiVersion: v1',
        '  kind: Secret',
        '  metadata: {name: one}',
        '  type: kubernetes.io/dockerconfigjson',
        `  data: {.dockerconfigjson: ${dockerconfigjson({ 'a.io': { auth: 'dTpw' } })}}`,
        '  stringData:',
        `    .dockerconfigjson: '${JSON.stringify({ auths: { 'b.io': { username: 'sd', password: 'p' } } })}'`,
        '---',
        JSON.stringify({ auths: { 'c.io': { username: 'c', password: 'p' } } }),
      ].join('\n'),
    );
    const configs = loadRegistryAuthFile(path);
    expect(configs.map((config) => [...config.auths.keys()])).toEqual([['b.io'], ['c.io']]);
  });

  it('says where every mistake is (file, line, column and field) without quoting a secret', () => {
    const problem = (path: string) => {
      try {
        loadRegistryAuthFile(path);
      } catch (error) {
        // Several problems (YAML syntax) come as one aggregate error: the first.
        const first = (error as { diagnostics?: Diagnostic[] }).diagnostics?.[0] ?? (error as PullguardError);
        const { code, message, location, field } = first;
        return { code, message, location, field };
      }
      return undefined;
    };
    expect(() => loadRegistryAuthFile(join(dir.path, 'missing.yaml'))).toThrow('does not exist');
    const opaque = file('opaque.yaml', 'kind: Secret\nmetadata: {name: s}\ntype: Opaque\n');
    expect(problem(opaque)).toEqual({
      code: 'CONFIG_INVALID',
      message:
        'Secret s has type "Opaque"; a pull secret has type kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg',
      location: { file: opaque, line: 3, column: 7 },
      field: 'type',
    });
    const nodata = file(
      'nodata.yaml',
      '---\nkind: Secret\nmetadata: {name: s, namespace: ci}\ntype: kubernetes.io/dockerconfigjson\n',
    );
    expect(problem(nodata)).toMatchObject({
      message: 'Secret ci/s has no data[".dockerconfigjson"]',
      location: { file: nodata, line: 2, column: 1 },
      field: 'data[".dockerconfigjson"]',
    });
    const secret = Buffer.from('{"auths": s3cret').toString('base64');
    const badjson = file(
      'badjson.yaml',
      `kind: List\nitems:\n- kind: Secret\n  metadata: {name: s}\n  type: kubernetes.io/dockerconfigjson\n  data: {.dockerconfigjson: ${secret}}\n`,
    );
    expect(problem(badjson)).toEqual({
      code: 'CONFIG_INVALID',
      message: 'of Secret s is not valid JSON',
      location: { file: badjson, line: 6, column: 29 },
      field: 'items[0].data[".dockerconfigjson"]',
    });
    const badAuth = file(
      'badauth.yaml',
      `kind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{"auths": {"r.io": {"auth": "${Buffer.from('no-colon-s3cret').toString('base64')}"}}}'\n`,
    );
    expect(problem(badAuth)).toEqual({
      code: 'CONFIG_INVALID',
      message: 'is not base64 of "user:password"',
      location: { file: badAuth, line: 5, column: 22 },
      field: 'stringData[".dockerconfigjson"].auths["r.io"].auth',
    });
    const plain = file('plain.yaml', 'auths:\n  r.io: { password: 7 }\n');
    expect(problem(plain)).toEqual({
      code: 'CONFIG_INVALID',
      message: 'must be a string',
      location: { file: plain, line: 2, column: 21 },
      field: 'auths["r.io"].password',
    });
    const syntax = file('syntax.yaml', 'auths: {a: [}\n');
    expect(problem(syntax)).toMatchObject({ code: 'CONFIG_INVALID', location: { file: syntax, line: 1 } });
    for (const path of [badjson, badAuth]) expect(JSON.stringify(problem(path))).not.toContain('s3cret');
    expect(() => loadRegistryAuthFile(file('empty.yaml', '# nothing\n'))).toThrow(
      'holds no Docker config or pull Secret',
    );
  });
});
