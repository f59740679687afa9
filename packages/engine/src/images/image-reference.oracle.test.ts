import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tryParseImageReference } from './image-reference.js';

/**
 * A differential check: the hand-written scanner must agree with a second, deliberately naive
 * implementation that composes the regular expressions of distribution/reference v0.6.0
 * (regexp.go) and follows normalize.go / reference.go / go-digest v1.0.0 step by step. Regular
 * expressions are fine here because the inputs are short.
 */
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const host = `(?:${domainName}|\\[(?:[a-fA-F0-9:]+)\\])`;
const domainAndPort = `${host}(?::[0-9]+)?`;
const namePat = `(?:${domainAndPort}/)?${remoteName}`;
// Without the `u` flag, JavaScript's \w is ASCII [A-Za-z0-9_], like Go RE2's.
const tag = '[\\w][\\w.-]{0,127}';
const digestPat = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const referenceRegexp = new RegExp(`^(${namePat})(?::(${tag}))?(?:@(${digestPat}))?$`);
const anchoredNameRegexp = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
const goDigestRegexp = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const encodedLength: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

interface OracleReference {
  domain: string;
  path: string;
  name: string;
  tag: string | undefined;
  digest: string | undefined;
}

function oracle(s: string): OracleReference | undefined {
  if (/^[a-f0-9]{64}$/.test(s)) return undefined;
  let domain = 'docker.io';
  let remainder = `library/${s}`;
  const slash = s.indexOf('/');
  if (slash !== -1) {
    const first = s.slice(0, slash);
    const rest = s.slice(slash + 1);
    if (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first) {
      [domain, remainder] = [first, rest];
    } else if (first === 'index.docker.io') {
      remainder = rest;
    } else {
      remainder = s;
    }
    if (first === 'index.docker.io') domain = 'docker.io';
    if (domain === 'docker.io' && !remainder.includes('/')) remainder = `library/${remainder}`;
  }
  const remote = remainder.split(':')[0] ?? '';
  if (remote.toLowerCase() !== remote) return undefined;
  const match = referenceRegexp.exec(`${domain}/${remainder}`);
  if (!match) return undefined;
  const name = match[1] ?? '';
  const nameMatch = anchoredNameRegexp.exec(name);
  // reference.go v0.6.0 `Parse`: `len(repo.path) > RepositoryNameTotalLengthMax`, the path only
  // (the whole name when it has no valid domain).
  const path = nameMatch?.[2] ?? name;
  if (path.length > 255) return undefined;
  const digest = match[3];
  if (digest !== undefined) {
    const [algorithm = '', encoded = ''] = digest.split(':');
    const length = encodedLength[algorithm];
    if (length === undefined || encoded.length !== length || !/^[a-f0-9]+$/.test(encoded)) return undefined;
    if (!goDigestRegexp.test(digest)) return undefined;
  }
  return { domain: nameMatch?.[1] ?? '', path, name, tag: match[2], digest };
}

const hex64 = 'e'.repeat(64);
const nearMisses = fc
  .array(
    fc.constantFrom(
      ...'ab09AZ._-/:@[]+é \n'.split(''),
      '__',
      '---',
      'localhost',
      'index.docker.io',
      'docker.io',
      'library',
      'reg.io:5000',
      '[::1]',
      'sha256:',
      'sha512:',
      'md5:',
      hex64,
      hex64.slice(0, 32),
      'A'.repeat(64),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

/** name[/name…][:tag][@digest] shapes whose parts are near misses. */
const shaped = fc
  .record({
    components: fc.array(nearMisses, { minLength: 1, maxLength: 3 }),
    tag: fc.option(nearMisses, { nil: undefined }),
    digest: fc.option(
      fc.tuple(
        fc.constantFrom('sha256', 'sha384', 'sha512', 'md5', 'SHA256', 'sha256+b64'),
        fc.constantFrom(32, 63, 64, 96, 128),
        fc.constantFrom('e', 'E', 'g'),
      ),
      { nil: undefined },
    ),
  })
  .map(({ components, tag, digest }) => {
    let text = components.join('/');
    if (tag !== undefined) text += `:${tag}`;
    if (digest !== undefined) text += `@${digest[0]}:${'0'.repeat(digest[1] - 1)}${digest[2]}`;
    return text;
  });

/** A valid-looking reference with up to three single-character edits: the richest source of near misses. */
const edited = fc
  .tuple(
    fc.constantFrom(
      '',
      'docker.io/',
      'index.docker.io/',
      'ghcr.io/',
      'localhost/',
      'reg:5000/',
      '[::1]:80/',
      'Up/',
      'a_b.io/',
    ),
    fc.array(fc.stringMatching(/^[a-z0-9]{1,3}(?:(?:[._]|__|-{1,2})[a-z0-9]{1,3}){0,2}$/), {
      minLength: 1,
      maxLength: 3,
    }),
    fc.constantFrom('', ':1.0', ':latest', ':_x-Y', `@sha256:${hex64}`, `:v1@sha256:${hex64}`),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom('insert', 'replace', 'delete'),
        fc.constantFrom(...'a0__..--/:@A[]E \n'.split('')),
      ),
      { maxLength: 2 },
    ),
  )
  .map(([host, components, suffix, edits]) => {
    let text = host + components.join('/') + suffix;
    for (const [at, kind, char] of edits) {
      const i = at % (text.length + 1);
      text = text.slice(0, i) + (kind === 'delete' ? '' : char) + text.slice(kind === 'insert' ? i : i + 1);
    }
    return text;
  });

describe('agreement with the upstream regular expressions', () => {
  it('accepts exactly what distribution/reference v0.6.0 + go-digest v1.0.0 accept, with the same fields', () => {
    fc.assert(
      fc.property(fc.oneof(edited, nearMisses, shaped, fc.string({ maxLength: 30 })), (input) => {
        const expected = oracle(input);
        const actual = tryParseImageReference(input);
        if (expected === undefined) {
          expect(actual.ok, JSON.stringify(input)).toBe(false);
        } else {
          expect(actual.ok, JSON.stringify(input)).toBe(true);
          if (actual.ok) {
            const { domain, path, name, tag, digest } = actual.reference;
            expect({ domain, path, name, tag, digest }).toEqual(expected);
          }
        }
      }),
      { numRuns: 4000 },
    );
  });

  it('agrees on the upstream test table cases', () => {
    const cases = [
      'test_com',
      'test.com:tag',
      'test.com:5000',
      'test.com/repo:tag',
      'test:5000/repo',
      `test:5000/repo:tag@sha256:${'f'.repeat(64)}`,
      'lowercase:Uppercase',
      'Uppercase:tag',
      'Uppercase/lowercase:tag',
      'sub-dom1.foo.com/bar/baz/quux:some-long-tag',
      'b.gcr.io/test.example.com/my-app:test.example.com',
      'xn--n3h.com/myimage:xn--n3h.com',
      'foo_bar.com:8080',
      'foo/foo_bar.com:8080',
      '192.168.1.1:5000/repo:5050',
      '[2001:db8::1]',
      '[2001:db8::1]:5000',
      '[2001:db8::1]/repo',
      '[2001:db8::]:5000/repo',
      '[fe80::1%eth0]:5000/repo',
      `${'a/'.repeat(128)}a:tag`,
      `${'a/'.repeat(127)}a:tag-puts-this-over-max`,
      `docker.io/library/${'a'.repeat(247)}`,
      `docker.io/library/${'a'.repeat(248)}`,
      `${'h'.repeat(200)}.io:5000/${'a'.repeat(255)}:tag`,
      `${'h'.repeat(200)}.io:5000/${'a'.repeat(256)}:tag`,
      `foo_bar.com/${'a'.repeat(243)}`,
      `foo_bar.com/${'a'.repeat(244)}`,
      `repo@sha256:${'f'.repeat(34)}`,
    ];
    for (const input of cases) {
      const expected = oracle(input);
      const actual = tryParseImageReference(input);
      expect(actual.ok, input).toBe(expected !== undefined);
    }
  });
});
