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

  // issue 11: these loaded under the old heuristic and then blocked the event loop for tens of
  // seconds on one tag. With linear-time matching they load and answer (no timing asserted).
  it.each([
    ['(((((a{0,3}){3}){3}){3}){3})b', 'a'.repeat(25), `${'a'.repeat(127)}b`],
    [`${'a{0,40}'.repeat(12)}b`, 'a'.repeat(128), `${'a'.repeat(100)}b`],
    [`${'[a-z0-9]*'.repeat(6)}b`, 'a'.repeat(128), `${'a0'.repeat(63)}zb`],
    ['(a+)+b', 'a'.repeat(128), `${'a'.repeat(127)}b`],
    ['(a|aa)*c', 'a'.repeat(128), `${'a'.repeat(127)}c`],
    ['(x+x+)+y', 'x'.repeat(128), `${'x'.repeat(127)}y`],
  ])('loads %s and answers on a long tag', (pattern, rejected, accepted) => {
    const { problems } = prepareRule(allowedTags, { pattern });
    expect(problems).toEqual([]);
    expect(messages(allowedTags, factsFor(`reg.io/app:${rejected}`), { pattern })).toHaveLength(1);
    expect(messages(allowedTags, factsFor(`reg.io/app:${accepted}`), { pattern })).toEqual([]);
  });

  it('answers the same for a tag it has seen before', () => {
    const { prepared } = prepareRule(allowedTags, semver);
    const check = (image: string) =>
      allowedTags.check(factsFor(image), {
        options: prepared,
        policy: 'test',
        namespace: 'prod',
        now: 0,
        signal: new AbortController().signal,
        fail: (message) => ({ message }),
      });
    for (let i = 0; i < 3; i++) {
      expect(check('nginx:1.25.3')).toBeUndefined();
      expect(check('nginx:1.25')).toMatchObject({ message: expect.stringContaining('does not match') });
    }
  });

  it.each([
    ['(\\w+)\\1', 'backreference `\\1` at offset 5: RE2 has no backreferences'],
    ['(?<x>a)\\k<x>', 'backreference `\\k` at offset 7: RE2 has no backreferences'],
    ['v(?=1)[0-9]+', 'lookaround `(?=` at offset 1: RE2 has no lookarounds'],
    ['v(?!0)[0-9]+', 'lookaround `(?!` at offset 1: RE2 has no lookarounds'],
    ['(?<=v)[0-9]+', 'lookaround `(?<=` at offset 0: RE2 has no lookarounds'],
    ['(?<!v)[0-9]+', 'lookaround `(?<!` at offset 0: RE2 has no lookarounds'],
    ['[0-9', 'missing closing ] `[0-9` at offset 0'],
    ['v[0-9]+)', 'unexpected ) at offset 7'],
    ['(v[0-9]+', 'missing closing ) at offset 8'],
    ['x{0,1001}', 'invalid repeat count `{0,1001}` at offset 1'],
    ['a**', 'invalid nested repetition operator `**` at offset 1'],
    ['\\12x\\1', 'backreference `\\1` at offset 4'],
    ['(\\w+)\\1x\\1', 'backreference `\\1` at offset 5'],
    ['[z-a]', 'invalid character class range `z-a` at offset 1'],
    ['x\\Q.', 'an unterminated \\Q…\\E quote'],
  ])('rejects %s at load with the position in the pattern', (pattern, why) => {
    const { problems } = prepareRule(allowedTags, { pattern });
    expect(problems).toEqual([expect.objectContaining({ field: 'pattern', code: 'POLICY_BAD_PATTERN' })]);
    expect(problems[0]?.message).toContain(why);
    expect(problems[0]?.message).toMatch(/^tag pattern "/);
  });

  it('matches with RE2 semantics: \\d and \\w are ASCII, POSIX classes and inline flags work', () => {
    const judge = (pattern: string, tag: string) =>
      messages(allowedTags, factsFor(`app:${tag}`), { pattern });
    expect(judge('v\\d+', 'v12')).toEqual([]);
    expect(judge('[[:alpha:]]+-[[:digit:]]+', 'stable-2')).toEqual([]);
    expect(judge('(?i)RELEASE-[0-9]+', 'release-7')).toEqual([]);
    expect(judge('a|ab', 'ab')).toEqual([]);
    expect(judge('\\w+', 'a_b')).toEqual([]);
    expect(judge('\\Q1.0\\E', '1x0')).toHaveLength(1);
    expect(judge('\\Q1.0\\E', '1.0')).toEqual([]);
  });
});
