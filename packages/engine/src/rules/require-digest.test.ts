import { describe, expect, it } from 'vitest';
import { factsFor, messages, prepareRule, violations } from './__fixtures__/rule-harness.js';
import { INSTANCE_READS } from './instance-reads.js';
import { requireDigest } from './require-digest.js';

const DIGEST = 'sha256:0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f';

describe('require-digest', () => {
  it.each([
    ['nginx', 1],
    ['nginx:1.25', 1],
    ['reg.local:5000/app', 1],
    ['reg.local:5000/app:2.0', 1],
    [`nginx@${DIGEST}`, 0],
    [`nginx:1.25@${DIGEST}`, 0],
    [`reg.local:5000/team/app:2.0@${DIGEST}`, 0],
  ])('judges %s (%i violations)', (image, count) => {
    expect(messages(requireDigest, factsFor(image))).toHaveLength(count);
  });

  it('says why a tag is not enough', () => {
    expect(messages(requireDigest, factsFor('ghcr.io/acme/api:2.3'))).toEqual([
      'ghcr.io/acme/api:2.3 is not pinned by digest: its tag can be moved to other content, so nodes may run different code for the same spec.',
    ]);
  });

  it('rejects a tag next to the digest only when allowTag is false', () => {
    const facts = factsFor(`nginx:1.25@${DIGEST}`);
    expect(messages(requireDigest, facts, { allowTag: true })).toEqual([]);
    expect(messages(requireDigest, facts, { allowTag: false })[0]).toMatch(/has both a tag and a digest/);
    expect(messages(requireDigest, factsFor(`nginx@${DIGEST}`), { allowTag: false })).toEqual([]);
  });

  it('leaves images that do not parse to invalid-image', () => {
    expect(messages(requireDigest, factsFor('Nginx:1.25'))).toEqual([]);
  });

  describe('with mutate: true (pinning at admission)', () => {
    const MUTATE = { mutate: true };
    const NOW = `sha256:${'e'.repeat(64)}`;
    const resolved = {
      status: 'resolved' as const,
      digest: NOW,
      tagStatus: 'resolved' as const,
      tagDigest: NOW,
      index: false,
    };

    it('reads the registry and the workload only when it pins', () => {
      expect(prepareRule(requireDigest, {}, MUTATE).prepared[INSTANCE_READS]).toEqual([
        'image',
        'registry',
        'workload',
      ]);
      expect(prepareRule(requireDigest, {}).prepared[INSTANCE_READS]).toEqual(['image']);
    });

    it("pins a Pod's image to the digest its tag names now, the tag kept", () => {
      const [v] = violations(requireDigest, factsFor('nginx:1.25', { registry: resolved }), {}, MUTATE);
      expect(v).toMatchObject({
        message: `nginx:1.25 is not pinned by digest; the admission webhook pins it to nginx:1.25@${NOW}, the digest its tag names now (mutate: true).`,
        fix: { image: `nginx:1.25@${NOW}` },
      });
    });

    it('drops the tag when the policy wants the digest alone (allowTag: false), and pins :latest images', () => {
      const pin = (image: string, options = {}) => {
        const [violation] = violations(
          requireDigest,
          factsFor(image, { registry: resolved }),
          options,
          MUTATE,
        );
        return (violation?.fix as { image?: string } | undefined)?.image;
      };
      expect(pin('reg.local:5000/app:2', { allowTag: false })).toBe(`reg.local:5000/app@${NOW}`);
      expect(pin('nginx')).toBe(`nginx@${NOW}`);
    });

    it('says when the digest is a multi-platform index', () => {
      const [v] = violations(
        requireDigest,
        factsFor('nginx:1.25', { registry: { ...resolved, index: true } }),
        {},
        MUTATE,
      );
      expect(v?.notes).toEqual([
        'the digest is the multi-platform index the tag names, right for every node platform',
      ]);
    });

    it('never patches a controller: a warning that its Pods are pinned when admitted', () => {
      const facts = factsFor('nginx:1.25', { kind: 'Deployment', registry: resolved });
      expect(violations(requireDigest, facts, {}, MUTATE)).toEqual([
        {
          message:
            'nginx:1.25 is not pinned by digest; Deployment/web is never patched: its Pods are pinned to the digest the tag names when they are admitted (mutate: true).',
          atMost: 'warn',
        },
      ]);
    });

    it('reports a tag that does not exist as unpinnable, and a registry error as a registry error', () => {
      const missing = factsFor('nginx:1.255', {
        registry: { status: 'not-found', tagStatus: 'not-found', message: 'no such tag (404)' },
      });
      expect(messages(requireDigest, missing, {}, MUTATE)[0]).toMatch(
        /It cannot be pinned: no such tag \(404\)\.$/,
      );
      const down = factsFor('nginx:1.25', {
        registry: {
          status: 'error',
          tagStatus: 'error',
          host: 'registry-1.docker.io',
          failureKind: 'unreachable',
          message: 'down',
          hint: 'h',
        },
      });
      expect(violations(requireDigest, down, {}, MUTATE)).toEqual([
        expect.objectContaining({ registryError: { host: 'registry-1.docker.io', hint: 'h' } }),
      ]);
    });

    it('without registry access: the plain violation, and a "not checked" notice for the pin', () => {
      const offline = factsFor('nginx:1.25', {
        registry: { status: 'not-checked', tagStatus: 'not-checked', message: 'offline' },
      });
      expect(violations(requireDigest, offline, {}, MUTATE)).toEqual([
        { message: expect.stringMatching(/is not pinned by digest: its tag can be moved/) },
        expect.objectContaining({ notChecked: true }),
      ]);
    });

    it('leaves pinned images alone', () => {
      expect(
        messages(requireDigest, factsFor(`nginx:1.25@${NOW}`, { registry: resolved }), {}, MUTATE),
      ).toEqual([]);
    });
  });
});
