import { describe, expect, it } from 'vitest';
import { factsFor, messages, prepareRule } from './__fixtures__/rule-harness.js';
import { allowedTags } from './allowed-tags.js';

const DIGEST = 'sha256:0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f0d8f';
const semver = { pattern: 'v?[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.]+)?' };

describe('allowed-tags', () => {
  it.each([
    ['nginx:1.25.3', 0],
    ['ghcr.io/acme/api:v2.3.0-rc.1', 0],
    ['reg.local:5000/app:2.0.1', 0],
    ['nginx:1.25', 1],
    ['nginx:latest', 1],
    ['nginx:1.25.3-evil_latest', 1],
    ['nginx:evil-1.2.3', 1],
    ['nginx', 1],
    ['reg.local:5000/app', 1],
    [`nginx@${DIGEST}`, 0],
    [`nginx:stable@${DIGEST}`, 1],
  ])('judges %s against a semver pattern (%i violations)', (image, count) => {
    expect(messages(allowedTags, factsFor(image), semver)).toHaveLength(count);
  });

  it('matches the whole tag, so an unanchored pattern cannot be satisfied by a substring', () => {
    expect(messages(allowedTags, factsFor('nginx:latest-1.2'), { pattern: '[0-9]+\\.[0-9]+' })).toEqual([
      'nginx:latest-1.2: tag "latest-1.2" does not match the allowed tag pattern /[0-9]+\\.[0-9]+/.',
    ]);
  });

  it('judges an untagged image as the :latest Kubernetes runs', () => {
    expect(messages(allowedTags, factsFor('nginx'), semver)[0]).toMatch(
      /^nginx has no tag, so Kubernetes runs it as :latest/,
    );
    expect(messages(allowedTags, factsFor('nginx'), { pattern: 'latest|stable' })).toEqual([]);
  });

  it('accepts digest-only images unless allowDigestOnly is false', () => {
    expect(
      messages(allowedTags, factsFor(`nginx@${DIGEST}`), { ...semver, allowDigestOnly: false })[0],
    ).toMatch(/has a digest but no tag/);
  });

  it.each([
    ['(a+)+', /nested quantifiers/],
    ['(?=x)', /lookahead/],
    ['[0-9', /Invalid regular expression/],
  ])('rejects the pattern %s at load', (pattern, why) => {
    const { problems } = prepareRule(allowedTags, { pattern });
    expect(problems).toEqual([expect.objectContaining({ field: 'pattern', code: 'POLICY_BAD_PATTERN' })]);
    expect(problems[0]?.message).toMatch(why);
  });
});
