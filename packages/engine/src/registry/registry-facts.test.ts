import { describe, expect, it } from 'vitest';
import { parseImageReference } from '../images/image-reference.js';
import type { RegistryReference } from '../registry-contract.js';
import { createFixtureResolver, type RegistryFixtures } from './fixture-resolver.js';
import { createRegistryLookups } from './lookups.js';
import { lookUpRegistryFacts } from './registry-facts.js';

const PINNED = `sha256:${'a'.repeat(64)}`;
const MOVED = `sha256:${'b'.repeat(64)}`;

/** The facts of `image` against `fixtures`, and the lookups made. */
async function factsOf(image: string, fixtures: RegistryFixtures) {
  const asked: string[] = [];
  const inner = createFixtureResolver(fixtures);
  const lookups = createRegistryLookups({
    resolve(reference: RegistryReference, options) {
      asked.push(reference.tag !== undefined ? `tag ${reference.tag}` : `digest ${reference.digest}`);
      return inner.resolve(reference, options);
    },
  });
  return { facts: await lookUpRegistryFacts(parseImageReference(image), lookups), asked };
}

describe('registry facts', () => {
  it('resolve a tag: what kubelet pulls is what the tag names now', async () => {
    const { facts, asked } = await factsOf('nginx:1.25', { 'nginx:1.25': { digest: MOVED, index: true } });
    expect(facts).toEqual({
      status: 'resolved',
      digest: MOVED,
      index: true,
      stale: false,
      tagStatus: 'resolved',
      tagDigest: MOVED,
      host: null,
      failureKind: null,
      message: null,
      hint: null,
    });
    expect(asked).toEqual(['tag 1.25']);
    expect(Object.isFrozen(facts)).toBe(true);
  });

  it('resolve `latest` for an image with neither tag nor digest', async () => {
    const { facts, asked } = await factsOf('nginx', { 'nginx:latest': PINNED });
    expect(facts).toMatchObject({ status: 'resolved', digest: PINNED });
    expect(asked).toEqual(['tag latest']);
  });

  it('prove a digest alone exists, without a tag lookup', async () => {
    const { facts, asked } = await factsOf(`nginx@${PINNED}`, { 'nginx:1.25': PINNED });
    expect(facts).toMatchObject({ status: 'resolved', digest: PINNED, tagStatus: null, tagDigest: null });
    expect(asked).toEqual([`digest ${PINNED}`]);
  });

  it('take a tag naming the pinned digest as proof that the digest exists (one lookup)', async () => {
    const { facts, asked } = await factsOf(`nginx:1.25@${PINNED}`, { 'nginx:1.25': PINNED });
    expect(facts).toMatchObject({
      status: 'resolved',
      digest: PINNED,
      tagStatus: 'resolved',
      tagDigest: PINNED,
    });
    expect(asked).toEqual(['tag 1.25']);
  });

  it('look the pinned digest up on its own when the tag moved', async () => {
    const { facts, asked } = await factsOf(`nginx:1.25@${PINNED}`, {
      'nginx:1.25': MOVED,
      [`nginx@${PINNED}`]: 'exists',
    });
    expect(facts).toMatchObject({
      status: 'resolved',
      digest: PINNED,
      tagStatus: 'resolved',
      tagDigest: MOVED,
    });
    expect(asked).toEqual(['tag 1.25', `digest ${PINNED}`]);
  });

  it('describe the failure of what kubelet pulls first, else that of the tag', async () => {
    const gone = await factsOf(`nginx:1.25@${PINNED}`, { 'nginx:1.25': MOVED });
    expect(gone.facts).toMatchObject({
      status: 'not-found',
      digest: null,
      tagStatus: 'resolved',
      failureKind: 'not-found',
      message: `registry-1.docker.io has no manifest library/nginx@${PINNED} (404)`,
    });
    const tagGone = await factsOf(`nginx:1.25@${PINNED}`, { [`nginx@${PINNED}`]: 'exists' });
    expect(tagGone.facts).toMatchObject({
      status: 'resolved',
      tagStatus: 'not-found',
      failureKind: 'not-found',
    });
    const down = await factsOf('ghcr.io/a/b:1', { 'ghcr.io/*': 'unreachable' });
    expect(down.facts).toMatchObject({
      status: 'error',
      tagStatus: 'error',
      host: 'ghcr.io',
      failureKind: 'unreachable',
    });
    expect(down.facts.hint).toMatch(/--plain-http ghcr\.io/);
  });
});
