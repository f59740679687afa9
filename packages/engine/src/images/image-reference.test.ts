import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { imageNames, megabytesRetainedBy } from '../__fixtures__/retained-heap.js';
import { PullguardError } from '../errors.js';
import type { ImageReference } from '../types.js';
import {
  createImageParser,
  parseImageReference,
  REPOSITORY_PATH_MAX_LENGTH,
  tryParseImageReference,
} from './image-reference.js';

const SHA256 = 'b'.repeat(64);
const SHA384 = 'c'.repeat(96);
const SHA512 = 'd'.repeat(128);

/** The message of the error `input` fails with. */
function failure(input: string): string {
  const result = tryParseImageReference(input);
  if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be invalid`);
  expect(result.error).toBeInstanceOf(PullguardError);
  expect(result.error.code).toBe('INVALID_IMAGE_REFERENCE');
  return result.error.message;
}

function fields(input: string): Partial<ImageReference> {
  return { ...parseImageReference(input) };
}

describe('normalization to the name Kubernetes pulls (ParseNormalizedNamed, distribution/reference v0.6.0)', () => {
  it('puts a single-component name under docker.io/library', () => {
    expect(fields('nginx')).toEqual({
      domain: 'docker.io',
      path: 'library/nginx',
      name: 'docker.io/library/nginx',
      tag: undefined,
      digest: undefined,
      familiar: 'nginx',
    });
  });

  it('puts a multi-component name without a host on docker.io, without library/', () => {
    expect(fields('acme/app:2')).toMatchObject({
      name: 'docker.io/acme/app',
      tag: '2',
      familiar: 'acme/app:2',
    });
  });

  it('adds library/ to a one-component path written with docker.io or index.docker.io', () => {
    expect(parseImageReference('docker.io/nginx').name).toBe('docker.io/library/nginx');
    expect(parseImageReference('index.docker.io/nginx').name).toBe('docker.io/library/nginx');
    expect(parseImageReference('index.docker.io/acme/app').name).toBe('docker.io/acme/app');
  });

  it('familiarizes library/ only when no further component follows', () => {
    expect(fields('docker.io/library/a/b')).toMatchObject({ path: 'library/a/b', familiar: 'library/a/b' });
  });

  it('treats a first component with a dot, a colon, or localhost as the registry host', () => {
    expect(fields('ghcr.io/acme/app')).toMatchObject({ domain: 'ghcr.io', path: 'acme/app' });
    expect(fields('localhost/foo')).toMatchObject({
      domain: 'localhost',
      path: 'foo',
      familiar: 'localhost/foo',
    });
    expect(fields('localhost:5000/foo')).toMatchObject({ domain: 'localhost:5000', path: 'foo' });
    expect(fields('registry:5000/foo')).toMatchObject({ domain: 'registry:5000', path: 'foo' });
    expect(fields('10.0.0.1/foo')).toMatchObject({ domain: '10.0.0.1', path: 'foo' });
  });

  it('treats a first component without dot or colon as a Docker Hub organization', () => {
    expect(fields('registry/foo')).toMatchObject({ domain: 'docker.io', path: 'registry/foo' });
  });

  it('keeps a name without / on Docker Hub even when it looks like a host (upstream FIXME)', () => {
    expect(fields('localhost:5000')).toMatchObject({ name: 'docker.io/library/localhost', tag: '5000' });
    expect(fields('example.com')).toMatchObject({ name: 'docker.io/library/example.com', tag: undefined });
  });

  it('reads a port as part of the host, and a colon after the path as the tag', () => {
    expect(fields('reg.local:5000/app')).toMatchObject({ domain: 'reg.local:5000', tag: undefined });
    expect(fields('reg.local:5000/app:1')).toMatchObject({ domain: 'reg.local:5000', path: 'app', tag: '1' });
  });

  it('accepts bracketed IPv6 hosts with or without a port', () => {
    expect(fields('[::1]:5000/app')).toMatchObject({ domain: '[::1]:5000', path: 'app' });
    expect(fields('[2001:db8::1]/repo:tag')).toMatchObject({ domain: '[2001:db8::1]', tag: 'tag' });
    expect(failure('[fe80::1%eth0]:5000/repo')).toContain(
      "invalid character '%' in the IPv6 address at offset 8",
    );
    expect(failure('[::1]x/repo')).toContain("invalid character 'x' after the IPv6 address");
  });

  it('makes an uppercase first component a host, as v0.6.0 splitDockerDomain does', () => {
    expect(fields('Foo/bar')).toMatchObject({
      domain: 'Foo',
      path: 'bar',
      name: 'Foo/bar',
      familiar: 'Foo/bar',
    });
    expect(fields('Docker.io/nginx')).toMatchObject({ domain: 'Docker.io', path: 'nginx' });
  });

  it('treats a first component that is a valid path but not a valid host as a path with no domain', () => {
    // Parse re-matches "foo_bar.com/x" with an optional domain; "_" is not allowed in a host.
    expect(fields('foo_bar.com/x')).toMatchObject({
      domain: '',
      path: 'foo_bar.com/x',
      name: 'foo_bar.com/x',
    });
  });

  it('keeps both tag and digest', () => {
    expect(fields(`nginx:1.25@sha256:${SHA256}`)).toMatchObject({
      name: 'docker.io/library/nginx',
      tag: '1.25',
      digest: `sha256:${SHA256}`,
      familiar: `nginx:1.25@sha256:${SHA256}`,
    });
  });

  it('keeps the case of tags', () => {
    expect(parseImageReference('lowercase:Uppercase').tag).toBe('Uppercase');
  });
});

describe('rejections', () => {
  it('rejects the empty string', () => {
    expect(failure('')).toBe('invalid reference "": the image reference is empty');
  });

  it('rejects a bare 64-hex identifier but accepts 63 or 65 hex characters as names', () => {
    expect(failure(SHA256)).toContain('image ID, not a repository name');
    expect(parseImageReference(SHA256.slice(1)).path).toBe(`library/${SHA256.slice(1)}`);
    expect(parseImageReference(`${SHA256}b`).path).toBe(`library/${SHA256}b`);
  });

  it('rejects uppercase in the repository path and says where', () => {
    expect(failure('Nginx')).toBe(
      `invalid reference "Nginx": repository name must be lowercase ('N' at offset 0)`,
    );
    expect(failure('acme/App')).toContain("('A' at offset 5)");
    expect(failure('test:5000/Uppercase/lowercase:tag')).toContain('must be lowercase');
  });

  it('names the character and its offset', () => {
    expect(failure('nginx 1.25')).toBe(
      `invalid reference "nginx 1.25": invalid character ' ' in the repository name at offset 5`,
    );
    expect(failure('aa/asdf$$^/aa')).toContain("invalid character '$' in the repository name at offset 7");
  });

  it('rejects a trailing newline, showing it', () => {
    expect(failure('nginx\n')).toBe(
      `invalid reference "nginx\\n": invalid character '\\n' in the repository name at offset 5`,
    );
    expect(failure('nginx:1.25\n')).toContain("'\\n' in the tag at offset 10");
  });

  it('allows the separators . _ __ and any run of -', () => {
    for (const name of ['a.b', 'a_b', 'a__b', 'a-b', 'a--b', 'a---b', 'a.b_c__d-e']) {
      expect(parseImageReference(name).path).toBe(`library/${name}`);
    }
  });

  it('rejects other separator runs and separators at either end of a component', () => {
    expect(failure('a___b')).toContain('invalid separator "___" at offset 1');
    expect(failure('a..b')).toContain('invalid separator ".." at offset 1');
    expect(failure('a._b')).toContain('invalid separator "._"');
    expect(failure('a-_b')).toContain('invalid separator "-_"');
    expect(failure('-a')).toContain("starts with separator '-' at offset 0");
    expect(failure('acme/.a')).toContain("starts with separator '.' at offset 5");
    expect(failure('a_')).toContain("ends with separator '_' at offset 1");
    expect(failure('a-/b')).toContain("ends with separator '-' at offset 1");
  });

  it('rejects empty path components and a missing name', () => {
    expect(failure('a//b')).toContain('empty path component at offset 2');
    expect(failure('acme/')).toContain("ends with '/' at offset 4");
    expect(failure('ghcr.io/')).toContain('the repository name is missing at offset 8');
    expect(failure(':justtag')).toContain('repository name is missing at offset 0');
    expect(failure(`@sha256:${SHA256}`)).toContain('repository name is missing');
  });

  it('explains URL schemes, which image references never have', () => {
    expect(failure('ko://knative.dev/serving/cmd/queue')).toContain('it starts with the URL scheme "ko://"');
    expect(failure('docker://nginx')).toContain('"docker://"');
  });

  it('checks the registry host grammar', () => {
    expect(failure('-reg.io/app')).toContain("label starts with '-' at offset 0");
    expect(failure('reg-.io/app')).toContain("label ends with '-' at offset 3");
    expect(failure('reg..io/app')).toContain('empty label in the registry host at offset 4');
    expect(failure('reg.io:/app')).toContain('the registry port is empty at offset 7');
    expect(failure('reg.io:http/app')).toContain("invalid character 'h' in the registry port at offset 7");
    expect(failure('reg.io:5000:1/app')).toContain("invalid character ':' in the registry port at offset 11");
  });

  it('limits the repository path, not the registry host, to 255 characters (reference.go v0.6.0)', () => {
    // distribution/reference v0.6.0 reference.go `Parse` checks `len(repo.path)`, the name without
    // its domain (commit aaca75e "Exclude domain from name length check").
    const docker250 = `docker.io/library/${'a'.repeat(242)}`;
    expect(parseImageReference(docker250)).toMatchObject({ domain: 'docker.io' });
    expect(parseImageReference(docker250).path).toHaveLength(250);
    expect(parseImageReference(docker250).name).toHaveLength(260);
    expect(parseImageReference(`docker.io/acme/${'a'.repeat(250)}`).path).toHaveLength(255);
    expect(parseImageReference(`localhost/${'a'.repeat(255)}`).path).toHaveLength(REPOSITORY_PATH_MAX_LENGTH);
    expect(failure(`localhost/${'a'.repeat(256)}`)).toContain('the repository path "aaaa');
    expect(failure(`localhost/${'a'.repeat(256)}`)).toContain(
      'is 256 characters long; at most 255 are allowed',
    );
    // `library/` (8 characters) is part of the path: 247 fit, 248 do not, however the name is written.
    expect(parseImageReference('a'.repeat(247)).path).toHaveLength(255);
    expect(failure('a'.repeat(248))).toContain('at most 255');
    expect(failure(`docker.io/library/${'a'.repeat(250)}`)).toContain('is 258 characters long');
    expect(parseImageReference(`index.docker.io/library/${'a'.repeat(247)}`).path).toHaveLength(255);
    // A long registry host does not count.
    const host = `${'h'.repeat(60)}.${'o'.repeat(60)}.example.com:5000`;
    expect(parseImageReference(`${host}/${'a'.repeat(255)}`).domain).toBe(host);
    // A first component that is not a valid host is part of the path (no domain), so it counts.
    expect(parseImageReference(`foo_bar.com/${'a'.repeat(243)}`)).toMatchObject({ domain: '' });
    expect(failure(`foo_bar.com/${'a'.repeat(244)}`)).toContain('is 256 characters long');
    const path255 = `${'a/'.repeat(127)}a`;
    expect(parseImageReference(`x.io/${path255}`).path).toBe(path255);
    expect(failure(`x.io/${path255}b`)).toContain('at most 255');
  });

  it('limits tags to 128 word characters, dots and dashes, starting with a word character', () => {
    expect(parseImageReference(`a:${'t'.repeat(128)}`).tag).toHaveLength(128);
    expect(failure(`a:${'t'.repeat(129)}`)).toContain(
      'the tag is 129 characters long; at most 128 are allowed',
    );
    expect(parseImageReference('a:_x.y-Z').tag).toBe('_x.y-Z');
    expect(failure('a:.x')).toContain("the tag must start with a letter, digit or '_', not '.'");
    expect(failure('a:-x')).toContain("not '-'");
    expect(failure('a:')).toContain("the tag after ':' at offset 1 is empty");
    expect(failure('a:b:c')).toContain("invalid character ':' in the tag at offset 3");
    expect(failure('acme/a:b/c')).toContain("invalid character '/' in the tag at offset 8");
    // Before the first '/', a colon makes a host with a port: "a:b/c" is host "a:b", not a tag.
    expect(failure('a:b/c')).toContain("invalid character 'b' in the registry port at offset 2");
  });

  it('treats \\w in tags as ASCII only', () => {
    for (const tag of ['é', 'ünï', 'ǅ', '\u212a', '١', 'x\u00a0']) {
      expect(failure(`a:${tag}`)).toContain('in the tag');
    }
  });

  it('rejects non-ASCII lookalikes in names', () => {
    expect(failure('ngınx')).toContain("invalid character 'ı'");
    expect(failure('nginx\u200b')).toContain('in the repository name at offset 5');
  });
});

describe('digests (go-digest v1.0.0 on top of the reference grammar)', () => {
  it('accepts sha256, sha384 and sha512 with their exact lowercase lengths', () => {
    expect(parseImageReference(`a@sha256:${SHA256}`).digest).toBe(`sha256:${SHA256}`);
    expect(parseImageReference(`a@sha384:${SHA384}`).digest).toBe(`sha384:${SHA384}`);
    expect(parseImageReference(`a@sha512:${SHA512}`).digest).toBe(`sha512:${SHA512}`);
  });

  it('rejects a known algorithm with the wrong length', () => {
    expect(failure(`a@sha256:${SHA256.slice(1)}`)).toContain(
      'a sha256 digest has exactly 64 hex characters, this one has 63',
    );
    expect(failure(`a@sha256:${SHA256}b`)).toContain('this one has 65');
    expect(failure(`a@sha512:${SHA256}`)).toContain('exactly 128');
    expect(failure(`a@sha384:${SHA512}`)).toContain('exactly 96');
  });

  it('rejects uppercase hex for sha256 although the reference grammar allows it', () => {
    expect(failure(`a@sha256:${'B'.repeat(64)}`)).toContain("must be lowercase hex ('B' at offset 9)");
  });

  it('rejects fewer than 32 hex characters, whatever the algorithm', () => {
    expect(failure(`a@sha256:${'b'.repeat(31)}`)).toContain(
      'has 31 hex characters; at least 32 are required',
    );
    expect(failure('a@md5:abc')).toContain('at least 32');
  });

  it('reports a well-formed unknown algorithm as unsupported', () => {
    expect(failure(`a@md5:${'b'.repeat(32)}`)).toContain('unsupported digest algorithm "md5"');
    expect(failure(`a@sha256+b64:${SHA256}`)).toContain('unsupported digest algorithm "sha256+b64"');
    expect(failure(`validname@invaliddigest:${'f'.repeat(64)}`)).toContain('unsupported');
  });

  it('rejects an uppercase algorithm, with or without a tag', () => {
    expect(failure(`a@SHA256:${SHA256}`)).toContain('the digest algorithm "SHA256" must be lowercase');
    expect(failure(`a:1@Sha256:${SHA256}`)).toContain('must be lowercase');
  });

  it('checks the algorithm grammar', () => {
    expect(failure(`a@1sha:${SHA256}`)).toContain("must start with a letter, not '1'");
    expect(failure(`a@sha+:${SHA256}`)).toContain("component must start with a letter, not ':'");
    expect(failure(`a@sha/256:${SHA256}`)).toContain("invalid character '/' in the digest algorithm");
    expect(failure(`a@${'1'.repeat(64)}`)).toContain("must start with a letter, not '1'");
    expect(failure('a@sha')).toContain("no ':' between algorithm and hex");
    expect(failure('a@')).toContain('incomplete');
    expect(failure(`a@sha256:${SHA256}@x`)).toContain("invalid character '@' in the digest");
  });
});

describe('robustness', () => {
  it('fails fast and cleanly on a 1 MB string', () => {
    expect(failure('a'.repeat(1_000_000))).toContain('1000000 characters long');
    expect(failure(`${'a/'.repeat(500_000)}`)).toContain('characters long');
  });

  it('reports non-strings from untyped callers as invalid instead of crashing', () => {
    const parser = createImageParser({ max: 10 });
    for (const value of [undefined, null, 42, {}, ['nginx']]) {
      const result = parser.tryParse(value as unknown as string);
      expect(result.ok).toBe(false);
    }
    expect(() => parser.parse(null as unknown as string)).toThrow('expected a string, got null');
  });

  it('throws a fresh PullguardError from parse and returns the memoized one from tryParse', () => {
    const parser = createImageParser({ max: 10 });
    const first = parser.tryParse('Bad');
    expect(parser.tryParse('Bad')).toBe(first);
    expect(parser.tryParse('nginx')).toBe(parser.tryParse('nginx'));
    let thrown: unknown;
    try {
      parser.parse('Bad');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PullguardError);
    expect(thrown).not.toBe(first.ok ? undefined : first.error);
    // The shared, memoized error has no stack (it would name wherever the string was first met);
    // the thrown one has the caller's.
    expect(first.ok ? '' : first.error.stack).not.toContain('\n    at ');
    expect((thrown as Error).stack).toContain('\n    at ');
    expect(Error.stackTraceLimit).toBeGreaterThan(0);
  });

  it('keeps its memo bounded', () => {
    const parser = createImageParser({ max: 2 });
    const first = parser.tryParse('a');
    parser.tryParse('b');
    parser.tryParse('c');
    expect(parser.tryParse('a')).not.toBe(first);
    expect(parser.tryParse('a')).toEqual(first);
  });

  it('keeps the memory of its memo bounded when it is only hit', () => {
    // An admission server's parser meets the same images over and over: hits must not leave memory
    // behind (docs/performance-invariants.md#bounded-memos). 20,000 strings make tables of a megabyte.
    const max = 20_000;
    const parser = createImageParser({ max });
    const images = imageNames(max + 1);
    for (const image of images) parser.tryParse(image);
    const kept = images.slice(1);
    const first = kept.map((image) => parser.tryParse(image));
    const retained = megabytesRetainedBy(() => {
      for (let round = 0; round < 40; round++) for (const image of kept) parser.tryParse(image);
    });
    expect(retained).toBeLessThan(4);
    // hits, all of them: the very results parsed before
    expect(kept.every((image, i) => parser.tryParse(image) === first[i])).toBe(true);
  });

  it('returns frozen references, safe to share between callers', () => {
    expect(Object.isFrozen(parseImageReference('nginx'))).toBe(true);
  });
});

const reference = fc
  .record({
    host: fc.option(
      fc.constantFrom(
        'docker.io',
        'index.docker.io',
        'ghcr.io',
        'localhost',
        'localhost:5000',
        'reg.local:5000',
        '[::1]:5000',
      ),
      { nil: undefined },
    ),
    components: fc.array(fc.stringMatching(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/), {
      minLength: 1,
      maxLength: 4,
    }),
    tag: fc.option(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/), { nil: undefined }),
    digest: fc.option(
      fc.stringMatching(/^[a-f0-9]{64}$/).map((hex) => `sha256:${hex}`),
      { nil: undefined },
    ),
  })
  .map(({ host, components, tag, digest }) => {
    let text = host === undefined ? components.join('/') : `${host}/${components.join('/')}`;
    if (tag !== undefined) text += `:${tag}`;
    if (digest !== undefined) text += `@${digest}`;
    return text;
  });

/** Strings over the characters the grammar cares about, so that near-misses are frequent. */
const grammarAlphabet = fc.string({
  unit: fc.constantFrom(...'ab09AZ._-/:@[]+é \n'.split(''), 'sha256:', SHA256.slice(0, 32)),
  maxLength: 40,
});

describe('properties', () => {
  it('answers from its bounded memo exactly as a parser that has seen nothing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(reference, grammarAlphabet), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (strings, picks) => {
          const parser = createImageParser({ max: 3 });
          for (const pick of picks) {
            const input = strings[pick % strings.length]!;
            expect(parser.tryParse(input)).toEqual(createImageParser({ max: 1 }).tryParse(input));
          }
        },
      ),
    );
  });

  it('never throws anything but INVALID_IMAGE_REFERENCE, for any string', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), grammarAlphabet, reference),
        (input) => {
          try {
            parseImageReference(input);
          } catch (error) {
            expect(error).toBeInstanceOf(PullguardError);
            expect((error as PullguardError).code).toBe('INVALID_IMAGE_REFERENCE');
            expect((error as PullguardError).message.startsWith('invalid reference ')).toBe(true);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('parses every reference built from the grammar, and the familiar form parses back to the same reference', () => {
    fc.assert(
      fc.property(reference, (input) => {
        const parsed = tryParseImageReference(input);
        fc.pre(parsed.ok || !parsed.error.message.includes('at most 255'));
        if (!parsed.ok) throw parsed.error;
        const firstPathComponent = parsed.reference.path.split('/')[0] ?? '';
        // docker.io/foo.com/x familiarizes to foo.com/x, which names the host foo.com (upstream ambiguity).
        fc.pre(!(parsed.reference.domain === 'docker.io' && /[.:]|^localhost$/.test(firstPathComponent)));
        expect(parseImageReference(parsed.reference.familiar)).toEqual(parsed.reference);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads name + ":" + tag as that name with that tag', () => {
    fc.assert(
      fc.property(reference, fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/), (input, tag) => {
        const parsed = tryParseImageReference(input);
        fc.pre(parsed.ok);
        if (!parsed.ok) return;
        const tagged = parseImageReference(`${parsed.reference.name}:${tag}`);
        expect(tagged).toMatchObject({ name: parsed.reference.name, tag, digest: undefined });
      }),
      { numRuns: 500 },
    );
  });

  it('is case-exact: uppercasing a path character never yields a valid name on Docker Hub', () => {
    fc.assert(
      fc.property(reference, fc.nat(), (input, at) => {
        const parsed = tryParseImageReference(input);
        fc.pre(parsed.ok && parsed.reference.domain === 'docker.io' && parsed.reference.tag === undefined);
        if (!parsed.ok) return;
        const familiar = parsed.reference.familiar.split('@')[0] ?? '';
        const index = at % familiar.length;
        fc.pre(/[a-z]/.test(familiar[index] ?? ''));
        const changed = familiar.slice(0, index) + familiar[index]?.toUpperCase() + familiar.slice(index + 1);
        // An uppercase first component of several becomes a host (splitDockerDomain), which is valid.
        fc.pre(!(changed.includes('/') && index < changed.indexOf('/')));
        expect(tryParseImageReference(changed).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
