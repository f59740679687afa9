import { describe, expect, it } from 'vitest';
import { factsFor, violations } from './__fixtures__/rule-harness.js';
import { privateImages } from './private-images.js';

const registries = ['registry.acme.io/'];

describe('private-images', () => {
  it('ignores images outside the private registries', () => {
    expect(violations(privateImages, factsFor('nginx:1.25'), { registries, sharedNodes: true })).toEqual([]);
  });

  it('needs imagePullSecrets for a private image', () => {
    const [violation, ...rest] = violations(privateImages, factsFor('registry.acme.io/team/api:1'), {
      registries,
    });
    expect(rest).toEqual([]);
    expect(violation?.message).toMatch(
      /is private \(matches registry\.acme\.io\/\) but the pod has no imagePullSecrets/,
    );
    expect(
      violations(privateImages, factsFor('registry.acme.io/team/api:1', { imagePullSecrets: ['acme'] }), {
        registries,
      }),
    ).toEqual([]);
  });

  it('on shared nodes needs Always, so a cached copy is not reused without credentials', () => {
    const facts = factsFor('registry.acme.io/team/api:1', { imagePullSecrets: ['acme'] });
    const [violation] = violations(privateImages, facts, { registries, sharedNodes: true });
    expect(violation?.message).toMatch(/pods without credentials can run the cached copy/);
    expect(violation?.fix).toEqual({ imagePullPolicy: 'Always' });
    const always = factsFor('registry.acme.io/team/api:1', {
      imagePullSecrets: ['acme'],
      imagePullPolicy: 'Always',
    });
    expect(violations(privateImages, always, { registries, sharedNodes: true })).toEqual([]);
  });

  it('accepts IfNotPresent on shared nodes when kubelet verifies cached credentials (KEP-2535)', () => {
    const facts = factsFor('registry.acme.io/team/api:1', { imagePullSecrets: ['acme'] });
    expect(
      violations(privateImages, facts, {
        registries,
        sharedNodes: true,
        kubeletVerifiesCachedCredentials: true,
      }),
    ).toEqual([]);
  });

  it.each(['registry.acme.io:443/team/api:1', 'REGISTRY.acme.io:443/team/api:1'])(
    'treats %s as private too: it reaches the same registry, so the same obligations apply',
    (image) => {
      expect(violations(privateImages, factsFor(image), { registries, sharedNodes: true })).toHaveLength(2);
    },
  );

  it('covers Docker Hub under each of its names', () => {
    const hub = { registries: ['docker.io/acme/'] };
    for (const image of ['acme/app:1', 'registry-1.docker.io/acme/app:1', 'docker.io:443/acme/app:1']) {
      expect(violations(privateImages, factsFor(image), hub), image).toHaveLength(1);
    }
  });

  it('reports both problems at once', () => {
    expect(
      violations(privateImages, factsFor('registry.acme.io/team/api:1'), { registries, sharedNodes: true }),
    ).toHaveLength(2);
  });
});
