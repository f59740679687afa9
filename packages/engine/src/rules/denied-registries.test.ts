import { describe, expect, it } from 'vitest';
import { factsFor, messages } from './__fixtures__/rule-harness.js';
import { deniedRegistries } from './denied-registries.js';

const denied = { registries: ['docker.io/', 'evil.com/', 'quay.io/evil/'] };

describe('denied-registries', () => {
  it.each([
    ['nginx', 1],
    ['index.docker.io/library/nginx', 1],
    ['evil.com/x', 1],
    ['quay.io/evil/x:1', 1],
    ['quay.io/evilcorp/x:1', 0],
    ['quay.io/evil', 0],
    ['ghcr.io/acme/api:1', 0],
    ['evil.com.example.org/x', 0],
    ['evil.com:5000/x', 0],
  ])('judges %s (%i violations)', (image, count) => {
    expect(messages(deniedRegistries, factsFor(image), denied)).toHaveLength(count);
  });

  it.each([
    // The default HTTPS port is the same server.
    'evil.com:443/x',
    'EVIL.com:443/x',
    'evil.com:0443/x',
    'quay.io:443/evil/x',
    // Docker Hub's registry endpoint and its legacy names, with and without the port.
    'docker.io:443/library/nginx',
    'registry-1.docker.io/library/nginx',
    'registry-1.docker.io:443/library/nginx',
    'index.docker.io:443/library/nginx',
    'registry.hub.docker.com/library/nginx',
    'registry-1.docker.io/nginx',
    'DOCKER.IO/nginx',
  ])('denies %s, another spelling of a denied registry', (image) => {
    expect(messages(deniedRegistries, factsFor(image), denied)).toHaveLength(1);
  });

  it('matches every spelling of the image against every spelling in the list', () => {
    const list = (registries: string[]) => ({ registries });
    expect(messages(deniedRegistries, factsFor('quay.io/evil/x'), list(['quay.io:443/evil/']))).toHaveLength(
      1,
    );
    expect(messages(deniedRegistries, factsFor('nginx'), list(['registry-1.docker.io/']))).toHaveLength(1);
    expect(messages(deniedRegistries, factsFor('nginx'), list(['registry-1.docker.io/nginx']))).toHaveLength(
      1,
    );
    expect(
      messages(deniedRegistries, factsFor('nginx:1.25'), list(['docker.io:443/library/nginx'])),
    ).toHaveLength(1);
    expect(messages(deniedRegistries, factsFor('evil.com:5000/x'), list(['evil.com:05000/']))).toHaveLength(
      1,
    );
    // Wildcard hosts and ports see every spelling too.
    expect(
      messages(deniedRegistries, factsFor('registry-1.docker.io/library/nginx'), list(['*.io/'])),
    ).toHaveLength(1);
    expect(messages(deniedRegistries, factsFor('evil.com/x'), list(['evil.com:*/']))).toHaveLength(1);
    expect(messages(deniedRegistries, factsFor('nginx'), list(['*.docker.io/library/*']))).toHaveLength(1);
    for (const image of ['DOCKER.IO/nginx', 'Index.Docker.IO/nginx', 'docker.io:443/nginx']) {
      expect(messages(deniedRegistries, factsFor(image), list(['docker.io/library/'])), image).toHaveLength(
        1,
      );
    }
  });

  it('keeps path components exact: aliases are about the registry, not the repository', () => {
    expect(messages(deniedRegistries, factsFor('quay.io:443/evilcorp/x'), denied)).toEqual([]);
    expect(messages(deniedRegistries, factsFor('ghcr.io:443/acme/x'), denied)).toEqual([]);
    expect(
      messages(deniedRegistries, factsFor('registry-1.docker.io.evil.org/x'), { registries: ['docker.io/'] }),
    ).toEqual([]);
  });

  it('names the pattern that denied the image', () => {
    expect(messages(deniedRegistries, factsFor('quay.io/evil/x:1'), denied)).toEqual([
      'quay.io/evil/x:1 is quay.io/evil/x, which matches the denied pattern quay.io/evil/.',
    ]);
  });

  it('says which registry an alias reaches', () => {
    expect(messages(deniedRegistries, factsFor('registry-1.docker.io/library/nginx'), denied)).toEqual([
      'registry-1.docker.io/library/nginx is registry-1.docker.io/library/nginx (another spelling of docker.io/library/nginx), which matches the denied pattern docker.io/.',
    ]);
  });
});
