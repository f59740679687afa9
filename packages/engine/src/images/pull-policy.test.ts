import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseImageReference, tryParseImageReference } from './image-reference.js';
import { effectivePullPolicy, isMutableReference, isPullPolicy } from './pull-policy.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('the API server default when imagePullPolicy is unset (SetDefaults_Container)', () => {
  it('is Always for an image with neither tag nor digest, because that means :latest', () => {
    expect(effectivePullPolicy({ image: 'nginx' })).toEqual({
      policy: 'Always',
      explicit: false,
      reason: 'no tag and no digest: Kubernetes treats it as :latest and defaults imagePullPolicy to Always',
    });
  });

  it('is Always for the tag latest, even next to a digest', () => {
    expect(effectivePullPolicy({ image: 'nginx:latest' })).toMatchObject({
      policy: 'Always',
      reason: 'tag "latest": the API server defaults imagePullPolicy to Always',
    });
    expect(effectivePullPolicy({ image: `nginx:latest@${DIGEST}` })).toMatchObject({
      policy: 'Always',
      reason: 'tag "latest" (even with a digest): the API server defaults imagePullPolicy to Always',
    });
  });

  it('is IfNotPresent for a digest without tag', () => {
    expect(effectivePullPolicy({ image: `nginx@${DIGEST}` })).toEqual({
      policy: 'IfNotPresent',
      explicit: false,
      reason: 'pinned by digest: imagePullPolicy defaults to IfNotPresent',
    });
  });

  it('defaults a long but valid name as it defaults any other: only the path counts toward 255', () => {
    // The registry host does not count (reference.go v0.6.0), so these parse and are :latest.
    const long = `docker.io/library/${'a'.repeat(242)}`;
    expect(effectivePullPolicy({ image: long })).toMatchObject({ policy: 'Always', explicit: false });
    expect(effectivePullPolicy({ image: `${long}:1.0` })).toMatchObject({ policy: 'IfNotPresent' });
    expect(effectivePullPolicy({ image: `registry.acme.example.com/${'a'.repeat(255)}` })).toMatchObject({
      policy: 'Always',
    });
  });

  it('is IfNotPresent for any other tag, including a differently cased "Latest"', () => {
    expect(effectivePullPolicy({ image: 'nginx:1.25' })).toMatchObject({
      policy: 'IfNotPresent',
      reason: 'tag "1.25": the API server defaults imagePullPolicy to IfNotPresent',
    });
    expect(effectivePullPolicy({ image: 'nginx:Latest' }).policy).toBe('IfNotPresent');
    expect(effectivePullPolicy({ image: `nginx:1.25@${DIGEST}` }).policy).toBe('IfNotPresent');
  });

  it('reads a registry port as a port, not as a tag', () => {
    expect(effectivePullPolicy({ image: 'reg.local:5000/app' }).policy).toBe('Always');
    expect(effectivePullPolicy({ image: 'reg.local:5000/app:5000' }).policy).toBe('IfNotPresent');
  });

  it('is IfNotPresent for an image that does not parse, since the API server ignores the parse error', () => {
    for (const image of ['Nginx', 'nginx 1.25', '', 'nginx@sha256:short']) {
      expect(effectivePullPolicy({ image })).toMatchObject({ policy: 'IfNotPresent', explicit: false });
    }
    expect(effectivePullPolicy({ image: 'Nginx' }).reason).toContain('does not parse');
  });

  it('treats an empty string as unset, like the API server', () => {
    expect(effectivePullPolicy({ image: 'nginx', imagePullPolicy: '' })).toMatchObject({
      policy: 'Always',
      explicit: false,
    });
  });
});

describe('a declared imagePullPolicy', () => {
  it('is taken as is when it is one of the three values', () => {
    expect(effectivePullPolicy({ image: 'nginx', imagePullPolicy: 'IfNotPresent' })).toEqual({
      policy: 'IfNotPresent',
      explicit: true,
      reason: 'set explicitly to IfNotPresent',
    });
    expect(effectivePullPolicy({ image: 'nginx:1', imagePullPolicy: 'Never' }).policy).toBe('Never');
    expect(effectivePullPolicy({ image: 'nginx:1', imagePullPolicy: 'Always' }).policy).toBe('Always');
  });

  it('is flagged when invalid (values are case-sensitive) and evaluated as if unset', () => {
    const decision = effectivePullPolicy({ image: 'nginx:1.25', imagePullPolicy: 'always' });
    expect(decision).toEqual({
      policy: 'IfNotPresent',
      explicit: true,
      invalidDeclared: 'always',
      reason:
        'imagePullPolicy "always" is not one of Always, IfNotPresent, Never: the API server rejects the object; ' +
        'evaluated as if unset (tag "1.25": the API server defaults imagePullPolicy to IfNotPresent)',
    });
    expect(effectivePullPolicy({ image: 'nginx', imagePullPolicy: 'Sometimes' })).toMatchObject({
      policy: 'Always',
      invalidDeclared: 'Sometimes',
    });
  });
});

describe('image volumes (SetDefaults_Volume applies the same rule to pullPolicy)', () => {
  it('names the pullPolicy field in its reasons', () => {
    expect(effectivePullPolicy({ image: 'ghcr.io/acme/data', field: 'pullPolicy' }).reason).toBe(
      'no tag and no digest: Kubernetes treats it as :latest and defaults pullPolicy to Always',
    );
    expect(
      effectivePullPolicy({ image: 'ghcr.io/acme/data:v1', imagePullPolicy: 'bogus', field: 'pullPolicy' })
        .reason,
    ).toMatch(/^pullPolicy "bogus" is not one of/);
  });
});

describe('helpers', () => {
  it('says a reference is mutable exactly when it has no digest', () => {
    expect(isMutableReference(parseImageReference('nginx:1.25'))).toBe(true);
    expect(isMutableReference(parseImageReference('nginx'))).toBe(true);
    expect(isMutableReference(parseImageReference(`nginx:1.25@${DIGEST}`))).toBe(false);
  });

  it('decides from the parse result the caller passes, and parses the image itself otherwise', () => {
    const parsed = tryParseImageReference('nginx:1.27');
    expect(effectivePullPolicy({ image: 'nginx:1.27', parsed })).toEqual(
      effectivePullPolicy({ image: 'nginx:1.27' }),
    );
    // The caller's parse is trusted, not repeated: the extractor parses each image exactly once.
    expect(effectivePullPolicy({ image: 'nginx', parsed }).policy).toBe('IfNotPresent');
    expect(effectivePullPolicy({ image: 'nginx' }).policy).toBe('Always');
  });

  it('recognizes exactly the three pull policies', () => {
    expect(['Always', 'IfNotPresent', 'Never'].every(isPullPolicy)).toBe(true);
    expect(['always', 'IFNOTPRESENT', '', undefined, 1].some(isPullPolicy)).toBe(false);
  });

  it('defaults to Always exactly when the parsed reference has tag latest or neither tag nor digest', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('nginx', 'ghcr.io/a/b', 'localhost:5000/x'),
        fc.option(fc.constantFrom('latest', 'Latest', '1.0', 'latest-1'), { nil: undefined }),
        fc.boolean(),
        (name, tag, withDigest) => {
          const image = `${name}${tag === undefined ? '' : `:${tag}`}${withDigest ? `@${DIGEST}` : ''}`;
          const expected = tag === 'latest' || (tag === undefined && !withDigest) ? 'Always' : 'IfNotPresent';
          expect(effectivePullPolicy({ image }).policy).toBe(expected);
        },
      ),
    );
  });
});
