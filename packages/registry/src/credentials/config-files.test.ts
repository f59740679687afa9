import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it('names file, document and Secret for every mistake', () => {
    expect(() => loadRegistryAuthFile(join(dir.path, 'missing.yaml'))).toThrow('does not exist');
    expect(() =>
      loadRegistryAuthFile(file('opaque.yaml', 'kind: Secret\nmetadata: {name: s}\ntype: Opaque\n')),
    ).toThrow(
      /opaque\.yaml \(document 1\): Secret s has type "Opaque"; a pull secret has type kubernetes.io\/dockerconfigjson/,
    );
    expect(() =>
      loadRegistryAuthFile(
        file('nodata.yaml', 'kind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/dockerconfigjson\n'),
      ),
    ).toThrow('has no data[".dockerconfigjson"]');
    expect(() =>
      loadRegistryAuthFile(
        file(
          'badjson.yaml',
          `kind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/dockerconfigjson\ndata: {.dockerconfigjson: ${Buffer.from('{"auths": s3cret').toString('base64')}}\n`,
        ),
      ),
    ).toThrow(/Secret s data\["\.dockerconfigjson"\]: not valid JSON$/);
    expect(() => loadRegistryAuthFile(file('syntax.yaml', 'auths: {a: [}\n'))).toThrow(
      /syntax\.yaml:1:\d+: not valid YAML or JSON/,
    );
    expect(() => loadRegistryAuthFile(file('empty.yaml', '# nothing\n'))).toThrow(
      'holds no Docker config or pull Secret',
    );
  });
});
