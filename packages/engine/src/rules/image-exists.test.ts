import { describe, expect, it } from 'vitest';
import { factsFor, violations } from './__fixtures__/rule-harness.js';
import { imageExists } from './image-exists.js';

const D = `sha256:${'d'.repeat(64)}`;

describe('image-exists', () => {
  it('passes an image its registry resolves', () => {
    const facts = factsFor('nginx:1.25', {
      registry: { status: 'resolved', digest: D, tagStatus: 'resolved' },
    });
    expect(violations(imageExists, facts)).toEqual([]);
  });

  it('reports a tag the registry does not have, with what kubelet would do', () => {
    const facts = factsFor('nginx:1.255', {
      registry: {
        status: 'not-found',
        message: 'registry-1.docker.io has no manifest library/nginx:1.255 (404)',
      },
    });
    expect(violations(imageExists, facts)).toEqual([
      expect.objectContaining({
        message:
          'nginx:1.255 does not exist: registry-1.docker.io has no manifest library/nginx:1.255 (404). Kubelet would fail the container with ErrImagePull.',
      }),
    ]);
  });

  it('says that an untagged image is pulled as :latest', () => {
    const facts = factsFor('nginx', { registry: { status: 'not-found', message: 'no latest' } });
    expect(violations(imageExists, facts)[0]?.notes).toEqual([
      'an image without tag or digest is pulled as :latest',
    ]);
  });

  it('turns a registry error into a registry-error outcome naming the host, with its hint', () => {
    const facts = factsFor('ghcr.io/acme/api:2', {
      registry: {
        status: 'error',
        host: 'ghcr.io',
        failureKind: 'unauthorized',
        message: 'ghcr.io refused (401)',
        hint: 'run docker login ghcr.io',
      },
    });
    expect(violations(imageExists, facts)).toEqual([
      expect.objectContaining({
        message:
          'REGISTRY_ERROR: could not check whether ghcr.io/acme/api:2 exists: ghcr.io: unauthorized: ghcr.io refused (401)',
        registryError: { host: 'ghcr.io', hint: 'run docker login ghcr.io' },
      }),
    ]);
  });

  it('reports "not checked" (a notice, not a finding) when no lookup was made', () => {
    const facts = factsFor('nginx:1.25', { registry: { status: 'not-checked', message: 'offline' } });
    expect(violations(imageExists, facts)).toEqual([
      expect.objectContaining({
        message: 'not checked: whether nginx:1.25 exists (offline)',
        notChecked: true,
      }),
    ]);
  });

  it('leaves images that do not parse to invalid-image', () => {
    expect(violations(imageExists, factsFor('Nginx:1', { registry: { status: 'not-found' } }))).toEqual([]);
  });
});
