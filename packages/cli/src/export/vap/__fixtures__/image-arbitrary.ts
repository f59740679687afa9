/**
 * Image references for property tests: valid ones of every shape the grammar allows and the
 * near misses around each rule of it (distribution/reference v0.6.0, go-digest v1.0.0): registry
 * hosts with ports, IPv6, uppercase, `localhost`, Docker Hub's names, `:443` and ports with
 * leading zeros, domain-less paths (`foo_bar.com/x`), Docker Hub short names, tags at and past
 * 128 characters, digests of each algorithm with wrong lengths and cases, names at the
 * 255-character limit, and junk.
 */
import fc from 'fast-check';

const HEX = '0123456789abcdef';
const hex = (n: number) => fc.string({ unit: fc.constantFrom(...HEX), minLength: n, maxLength: n });

const host = fc.oneof(
  fc.constantFrom(
    'docker.io',
    'index.docker.io',
    'registry-1.docker.io',
    'docker.io:443',
    'localhost',
    'localhost:5000',
    'registry.acme.io',
    'registry.acme.io:5000',
    'registry.acme.io:443',
    'Registry.Acme.IO',
    'REGISTRY.acme.io',
    'ghcr.io',
    'eu.acme.io',
    'a.b.acme.io',
    '[::1]',
    '[::1]:5000',
    '[fe80::1%25]',
    '[FE80::1]:443',
    '127.0.0.1:5000',
    'vault.payments.acme.io',
    'registry.untrusted.example',
    'foo_bar.com',
    'a-.example',
    '-a.example',
    'example.com:',
    'example.com:5x',
    'Foo',
    'x:1.acme.io',
    '[::1',
    // other spellings of a registry (registry-aliases.ts): Docker Hub's names, `:443`, leading zeros, case
    'Docker.IO',
    'docker.io:0443',
    'index.docker.io:443',
    'registry-1.docker.io:443',
    'registry.hub.docker.com',
    'REGISTRY.HUB.docker.com:0443',
    'docker.io:5000',
    'registry.acme.io:0443',
    'registry.acme.io:05000',
    'registry.acme.io:000',
    'myreg:443',
    'MYREG',
    '[::1]:0443',
  ),
  fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\.[a-z0-9]{1,8}){1,3}(:[0-9]{1,5})?$/),
);

const component = fc.oneof(
  fc.constantFrom('library', 'nginx', 'acme', 'app', 'busybox', 'alpine', 'payments', 'base', 'cryptominer', 'storefront', 'report', 'tools', 'a'),
  fc.stringMatching(/^[a-z0-9]{1,6}([._-]|__|-{2,3})?[a-z0-9]{1,6}$/),
  fc.constantFrom('App', 'a..b', 'a__-b', '_a', 'a_', 'a___b', 'a.-b', ''),
);
const path = fc.array(component, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
const longPath = fc
  .tuple(fc.integer({ min: 230, max: 262 }), fc.constantFrom('', 'library/'))
  .map(([n, prefix]) => `${prefix}${'a'.repeat(Math.max(1, n - prefix.length))}`);

const tag = fc.oneof(
  fc.constantFrom('latest', '1.25', 'v1.2.3', '1.25.3-alpine', 'stable', '_x', '.x', '-x', 'LATEST', 'a'.repeat(128), 'a'.repeat(129), '5000'),
  fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,12}$/),
);
const digest = fc.oneof(
  hex(64).map((h) => `sha256:${h}`),
  hex(96).map((h) => `sha384:${h}`),
  hex(128).map((h) => `sha512:${h}`),
  hex(64).map((h) => `sha256:${h.toUpperCase()}`),
  hex(63).map((h) => `sha256:${h}`),
  hex(32).map((h) => `md5:${h}`),
  hex(64).map((h) => `SHA256:${h}`),
  hex(64).map((h) => `sha256+b64:${h}`),
);

const structured = fc
  .tuple(
    fc.option(host, { nil: undefined }),
    fc.oneof({ weight: 5, arbitrary: path }, { weight: 1, arbitrary: longPath }),
    fc.option(tag, { nil: undefined }),
    fc.option(digest, { nil: undefined }),
  )
  .map(([h, p, t, d]) => `${h === undefined ? '' : `${h}/`}${p}${t === undefined ? '' : `:${t}`}${d === undefined ? '' : `@${d}`}`);

const junk = fc.string({
  unit: fc.constantFrom('a', 'b', 'Z', '0', '/', ':', '@', '.', '_', '-', '[', ']', ' ', '\n', 'é', '*'),
  maxLength: 24,
});

/** An image string: mostly well-formed references with one ingredient off, some plain junk. */
export const imageString: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: structured },
  { weight: 1, arbitrary: junk },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'ko://github.com/acme/app',
      'docker://nginx',
      'https://ghcr.io/acme/app',
      'a'.repeat(64),
      'f'.repeat(64),
      `${'a'.repeat(64)}:tag`,
      'nginx@sha256:',
      '',
      ' nginx',
      '<your-image>',
      `registry.example.com/${'a'.repeat(250)}`,
      `registry.example.com/${'a'.repeat(256)}`,
      `${'a'.repeat(1100)}`,
    ),
  },
);
