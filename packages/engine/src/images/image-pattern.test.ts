import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PullguardError } from '../errors.js';
import { compileImagePattern } from './image-pattern.js';
import { compileImagePatternSet } from './image-pattern-set.js';
import { parseImageReference } from './image-reference.js';
import {
  canonicalRegistryHost,
  canonicalRegistryName,
  hostSpellings,
  pathSpellings,
} from './registry-aliases.js';

const pattern = (source: string) => compileImagePattern(source).pattern;
/** Does `source` match the image `image` (parsed and normalized as Kubernetes does)? */
const allows = (source: string, image: string) => pattern(source).matches(parseImageReference(image).name);

function rejection(source: string): string {
  try {
    compileImagePattern(source);
  } catch (error) {
    expect(error).toBeInstanceOf(PullguardError);
    expect((error as PullguardError).code).toBe('POLICY_BAD_PATTERN');
    return (error as PullguardError).message;
  }
  throw new Error(`expected ${JSON.stringify(source)} to be rejected`);
}

describe('normalization at compile time', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx', 'exact'],
    ['docker.io/nginx', 'docker.io/library/nginx', 'exact'],
    ['index.docker.io/nginx', 'docker.io/library/nginx', 'exact'],
    ['acme/app', 'docker.io/acme/app', 'exact'],
    ['registry.acme.io/', 'registry.acme.io/', 'prefix'],
    ['ghcr.io/acme/', 'ghcr.io/acme/', 'prefix'],
    ['acme/', 'docker.io/acme/', 'prefix'],
    ['library/', 'docker.io/library/', 'prefix'],
    ['docker.io/', 'docker.io/', 'prefix'],
    ['index.docker.io/x/', 'docker.io/x/', 'prefix'],
    ['localhost/', 'localhost/', 'prefix'],
    ['reg:5000/', 'reg:5000/', 'prefix'],
    ['[::1]:5000/', '[::1]:5000/', 'prefix'],
    ['Registry.ACME.io/', 'registry.acme.io/', 'prefix'],
    ['ghcr.io/acme/*', 'ghcr.io/acme/*', 'glob'],
    ['*', 'docker.io/library/*', 'glob'],
    ['*.acme.io/', '*.acme.io/', 'glob'],
    ['**/app', '**/app', 'glob'],
  ] as const)('%s → %s (%s)', (source, normalized, kind) => {
    expect(pattern(source)).toMatchObject({ source, normalized, kind });
  });
});

describe('host prefixes', () => {
  it('match everything on that host', () => {
    expect(allows('registry.acme.io/', 'registry.acme.io/app:1')).toBe(true);
    expect(allows('registry.acme.io/', 'registry.acme.io/team/deep/app')).toBe(true);
  });

  it('never match a longer host that starts with the same text', () => {
    expect(allows('registry.acme.io/', 'registry.acme.io.evil.com/x')).toBe(false);
    expect(allows('registry.acme.io/', 'registry.acme.iox/x')).toBe(false);
  });

  it('treat a host with a port as a different host, both ways', () => {
    expect(allows('registry.acme.io/', 'registry.acme.io:5000/x')).toBe(false);
    expect(allows('reg.local:5000/', 'reg.local/x')).toBe(false);
    expect(allows('reg.local:5000/', 'reg.local:5001/x')).toBe(false);
    expect(allows('reg.local:5000/', 'reg.local:5000/x')).toBe(true);
  });

  it('never match a Docker Hub path that spells the host as an organization', () => {
    // "registry/x" has no dot: it is docker.io/registry/x
    expect(allows('registry:5000/', 'registry/x')).toBe(false);
    expect(allows('localhost/', 'docker.io/localhost/x')).toBe(false);
  });

  it('compare hosts case-insensitively, since DNS does', () => {
    expect(allows('registry.acme.io/', 'Registry.Acme.IO/app')).toBe(true);
    expect(allows('EVIL.com/', 'evil.com/x')).toBe(true);
    expect(allows('evil.com/', 'EVIL.COM/x')).toBe(true);
    expect(allows('ghcr.io/acme/app', 'GHCR.io/acme/app')).toBe(true);
  });
});

describe('organization prefixes', () => {
  it('match at component boundaries only', () => {
    expect(allows('ghcr.io/acme/', 'ghcr.io/acme/app')).toBe(true);
    expect(allows('ghcr.io/acme/', 'ghcr.io/acme/team/app')).toBe(true);
    expect(allows('ghcr.io/acme/', 'ghcr.io/acme-evil/x')).toBe(false);
    expect(allows('ghcr.io/acme/', 'ghcr.io/acmex')).toBe(false);
  });

  it('do not match the organization name itself as a repository', () => {
    expect(allows('ghcr.io/acme/', 'ghcr.io/acme')).toBe(false);
  });

  it('read a bare org/ as a Docker Hub organization', () => {
    expect(allows('acme/', 'acme/app')).toBe(true);
    expect(allows('acme/', 'docker.io/acme/app')).toBe(true);
    expect(allows('acme/', 'ghcr.io/acme/app')).toBe(false);
  });

  it('never let an official image through a Docker Hub organization', () => {
    expect(allows('docker.io/acme/', 'nginx')).toBe(false);
    expect(allows('acme/', 'acme')).toBe(false); // "acme" is docker.io/library/acme
  });

  it('let library/ cover official images, and docker.io/ all of Docker Hub', () => {
    expect(allows('library/', 'nginx')).toBe(true);
    expect(allows('docker.io/', 'nginx')).toBe(true);
    expect(allows('docker.io/', 'acme/app')).toBe(true);
    expect(allows('docker.io/', 'ghcr.io/acme/app')).toBe(false);
  });
});

describe('exact names', () => {
  it('match the normalized name whatever its spelling', () => {
    for (const image of [
      'nginx',
      'nginx:1.25',
      'docker.io/nginx',
      'index.docker.io/library/nginx@sha256:' + 'a'.repeat(64),
    ]) {
      expect(allows('nginx', image)).toBe(true);
    }
    expect(allows('docker.io/library/nginx', 'nginx')).toBe(true);
  });

  it('do not match longer names or siblings', () => {
    expect(allows('nginx', 'nginx-unprivileged')).toBe(false);
    expect(allows('nginx', 'library/nginx/extra')).toBe(false);
    expect(allows('ghcr.io/acme/app', 'ghcr.io/acme/app/sub')).toBe(false);
  });

  it('warn when a host-level pattern lacks its trailing /', () => {
    expect(compileImagePattern('gcr.io/acme').warnings).toEqual([
      'gcr.io/acme matches only the exact repository gcr.io/acme; add a trailing / to allow everything below it',
    ]);
    expect(compileImagePattern('registry.acme.io').warnings).toEqual([
      "registry.acme.io has no '/', so it names the Docker Hub image docker.io/library/registry.acme.io; write registry.acme.io/ to allow everything on the host registry.acme.io",
    ]);
    expect(compileImagePattern('ghcr.io/acme/app').warnings).toEqual([]);
    expect(compileImagePattern('nginx').warnings).toEqual([]);
    expect(compileImagePattern('docker.io/nginx').warnings).toEqual([]);
  });
});

describe('wildcards', () => {
  it('* matches within one path component', () => {
    expect(allows('ghcr.io/acme/*', 'ghcr.io/acme/app')).toBe(true);
    expect(allows('ghcr.io/acme/*', 'ghcr.io/acme/team/app')).toBe(false);
    expect(allows('ghcr.io/acme/*-api', 'ghcr.io/acme/billing-api')).toBe(true);
    expect(allows('ghcr.io/acme/*-api', 'ghcr.io/acme/billing-api-evil')).toBe(false);
    expect(allows('ghcr.io/*/app', 'ghcr.io/acme/app')).toBe(true);
    expect(allows('ghcr.io/acme*/', 'ghcr.io/acme-evil/x')).toBe(true);
  });

  it('** matches across components, and a trailing ** only below', () => {
    expect(allows('ghcr.io/**/app', 'ghcr.io/app')).toBe(true);
    expect(allows('ghcr.io/**/app', 'ghcr.io/a/b/app')).toBe(true);
    expect(allows('ghcr.io/**/app', 'ghcr.io/a/b/app2')).toBe(false);
    expect(allows('ghcr.io/acme/**', 'ghcr.io/acme/a/b')).toBe(true);
    expect(allows('ghcr.io/acme/**', 'ghcr.io/acme')).toBe(false);
    expect(allows('ghcr.io/acme/**', 'ghcr.io/acme-evil/a')).toBe(false);
  });

  it('* in a host matches within one label and never a port', () => {
    expect(allows('*.acme.io/', 'eu.acme.io/app')).toBe(true);
    expect(allows('*.acme.io/', 'a.b.acme.io/app')).toBe(false);
    expect(allows('*.acme.io/', 'eu.acme.io:5000/app')).toBe(false);
    expect(allows('*.acme.io/', 'acme.io/app')).toBe(false);
    expect(allows('*.acme.io/', 'eu.acme.io.evil.com/app')).toBe(false);
    expect(allows('reg.acme.io:*/', 'reg.acme.io:5000/app')).toBe(true);
    expect(allows('reg.acme.io:*/', 'reg.acme.io/app')).toBe(false);
  });

  it('a bare * is the official images, and a leading ** spans every host', () => {
    expect(allows('*', 'nginx')).toBe(true);
    expect(allows('*', 'acme/app')).toBe(false);
    expect(allows('**', 'ghcr.io/x/y')).toBe(true);
    expect(allows('**/app', 'ghcr.io/acme/app')).toBe(true);
    expect(allows('**/app', 'ghcr.io/acme/app2')).toBe(false);
  });
});

describe('length', () => {
  it('counts the repository path toward 255, not the registry host (reference.go v0.6.0)', () => {
    const image = `registry.${'h'.repeat(100)}.example.com/library/${'a'.repeat(247)}`;
    expect(allows(image, image)).toBe(true);
    expect(allows(`docker.io/library/${'a'.repeat(247)}`, 'a'.repeat(247))).toBe(true);
  });
});

describe('invalid patterns', () => {
  it.each([
    ['', 'the pattern is empty'],
    [' ghcr.io/', "invalid character ' ' at offset 0"],
    ['ghcr.io/ acme/', "invalid character ' ' at offset 8"],
    ['ghcr.io/Acme/', "repository name must be lowercase ('A' at offset 8)"],
    ['ghcr.io/***', "'***' at offset 8 is not a wildcard"],
    ['ghcr.io/a**/', '\'**\' must be a whole path component ("a**")'],
    ['**.acme.io/', "'**' must be a whole path component, not part of the host"],
    ['nginx:1.25', "a pattern names repositories, not tags (':' at offset 5)"],
    ['ghcr.io/acme/app:v1', "not tags (':' at offset 16)"],
    [
      'registry.acme.io:5000',
      'for everything on the host registry.acme.io:5000, write registry.acme.io:5000/',
    ],
    [`nginx@sha256:${'a'.repeat(64)}`, "remove the digest ('@' at offset 5)"],
    ['/', 'the repository name is missing'],
    ['ghcr.io//x', 'empty path component at offset 8'],
    ['-reg.io/', "label starts with '-' at offset 0"],
    ['ghcr.io/a__-b', 'invalid separator "__-"'],
    ['ghcr.io/é', "invalid character 'é' at offset 8"],
    ['[::*]/', 'wildcards are not supported in IPv6 hosts'],
    [`x.io/${'a'.repeat(256)}`, 'a repository path longer than 255 characters'],
    [`${'a'.repeat(249)}`, 'a repository path longer than 255 characters'],
    ['a'.repeat(1100), 'longer than 1024 characters'],
  ])('%j is rejected: %s', (source, message) => {
    expect(rejection(source)).toContain(message);
  });

  it('say which pattern is wrong', () => {
    expect(rejection('nginx:1.25')).toMatch(/^invalid image pattern "nginx:1\.25": /);
  });
});

describe('pattern sets', () => {
  it('report problems with the index of the offending pattern and keep the valid ones', () => {
    const { set, problems } = compileImagePatternSet([
      'ghcr.io/acme/',
      'bad pattern',
      'gcr.io/acme',
      'nginx',
    ]);
    expect(set.size).toBe(3);
    expect(problems).toEqual([
      { index: 1, severity: 'error', message: expect.stringContaining("invalid character ' '") },
      { index: 2, severity: 'warning', message: expect.stringContaining('add a trailing /') },
    ]);
  });

  it('never throw, even for non-strings from untyped input', () => {
    const { set, problems } = compileImagePatternSet([null, 3, 'nginx'] as unknown as string[]);
    expect(set.size).toBe(1);
    expect(problems.map((p) => p.index)).toEqual([0, 1]);
  });

  it('answer with the most specific pattern: exact, then the longest prefix, then the first glob', () => {
    const { set } = compileImagePatternSet([
      'ghcr.io/**',
      'ghcr.io/',
      'ghcr.io/acme/',
      'ghcr.io/acme/app',
      'ghcr.io/*/app',
    ]);
    expect(set.match('ghcr.io/acme/app')?.source).toBe('ghcr.io/acme/app');
    expect(set.match('ghcr.io/acme/web')?.source).toBe('ghcr.io/acme/');
    expect(set.match('ghcr.io/other/app')?.source).toBe('ghcr.io/');
    const globs = compileImagePatternSet(['ghcr.io/*/app', 'ghcr.io/**']).set;
    expect(globs.match('ghcr.io/x/app')?.source).toBe('ghcr.io/*/app');
    expect(globs.match('ghcr.io/x/y/z')?.source).toBe('ghcr.io/**');
    expect(globs.match('quay.io/x')).toBeUndefined();
  });

  it('hold the bypass cases for sets as for single patterns', () => {
    const { set } = compileImagePatternSet([
      'registry.acme.io/',
      'ghcr.io/acme/',
      'docker.io/acme/',
      '*.corp.io/',
    ]);
    for (const image of [
      'registry.acme.io.evil.com/x',
      'ghcr.io/acme-evil/x',
      'nginx',
      'registry.acme.io:5000/x',
      'corp.io/x',
      'a.b.corp.io/x',
      'x.corp.io:443/x',
    ]) {
      expect(set.match(parseImageReference(image).name), image).toBeUndefined();
    }
    expect(set.match('registry.acme.io/x')?.source).toBe('registry.acme.io/');
    expect(set.match('eu.corp.io/x')?.source).toBe('*.corp.io/');
  });
});

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
const host = fc
  .tuple(
    fc.array(label, { minLength: 1, maxLength: 3 }),
    fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  )
  .map(([labels, port]) => `${labels.join('.')}${port === undefined ? '' : `:${port}`}`)
  .filter((h) => h.includes('.') || h.includes(':'));
const component = fc.stringMatching(/^[a-z0-9]{1,4}(?:[-._][a-z0-9]{1,4}){0,2}$/);
const path = fc.array(component, { minLength: 1, maxLength: 4 }).map((c) => c.join('/'));

describe('properties', () => {
  it('a host-prefix pattern never matches a name on a different host', () => {
    fc.assert(
      fc.property(host, host, path, (allowed, actual, repo) => {
        fc.pre(allowed.toLowerCase() !== actual.toLowerCase());
        expect(allows(`${allowed}/`, `${actual}/${repo}`)).toBe(false);
      }),
    );
  });

  it('a host-prefix pattern matches every name on its host', () => {
    fc.assert(
      fc.property(host, path, (h, repo) => {
        expect(allows(`${h}/`, `${h}/${repo}`)).toBe(true);
      }),
    );
  });

  it('an org prefix never matches a sibling whose name merely starts with the same text', () => {
    fc.assert(
      fc.property(host, component, fc.stringMatching(/^[-._a-z0-9]{1,4}$/), path, (h, org, suffix, repo) => {
        const sibling = `${org}${suffix}`;
        fc.pre(tryName(`${h}/${sibling}/${repo}`));
        expect(allows(`${h}/${org}/`, `${h}/${sibling}/${repo}`)).toBe(false);
      }),
    );
  });

  it('a set answers exactly like its patterns one by one', () => {
    const sources = fc.array(
      fc.oneof(
        fc.tuple(host, path).map(([h, p]) => `${h}/${p}`),
        host.map((h) => `${h}/`),
        fc.tuple(host, component).map(([h, c]) => `${h}/${c}/`),
        fc.tuple(host, component).map(([h, c]) => `${h}/${c}/*`),
        component.map((c) => `*.${c}.io/`),
        path,
      ),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(sources, fc.tuple(host, path), (list, [h, p]) => {
        const { set } = compileImagePatternSet(list);
        const singles = list.flatMap((s) => {
          try {
            return [compileImagePattern(s).pattern];
          } catch {
            return [];
          }
        });
        for (const name of [
          `${h}/${p}`,
          ...singles.map((s) => s.normalized.replaceAll('*', 'x').replace(/\/$/, '/y')),
        ]) {
          expect(set.match(name) !== undefined, name).toBe(singles.some((s) => s.matches(name)));
        }
      }),
    );
  });
});

function tryName(image: string): boolean {
  try {
    parseImageReference(image);
    return true;
  } catch {
    return false;
  }
}

describe('spellings of a registry', () => {
  const registrySet = (sources: string[]) => compileImagePatternSet(sources, 'registry').set;
  const exactSet = (sources: string[]) => compileImagePatternSet(sources).set;
  const name = (image: string) => parseImageReference(image).name;
  const aliases = [
    'evil.com:443/x',
    'quay.io:443/evil/x',
    'docker.io:443/library/nginx',
    'registry-1.docker.io/library/nginx',
    'index.docker.io:443/library/nginx',
  ];

  it('exact sets (allowlists) match names as written and fail closed on other spellings', () => {
    const set = exactSet(['evil.com/', 'quay.io/evil/', 'docker.io/']);
    for (const image of aliases) expect(set.match(name(image)), image).toBeUndefined();
  });

  it('registry sets (denylists) match every spelling that reaches the same registry', () => {
    const set = registrySet(['evil.com/', 'quay.io/evil/', 'docker.io/']);
    for (const image of aliases) expect(set.match(name(image)), image).toBeDefined();
    expect(set.match(name('quay.io:443/evilcorp/x'))).toBeUndefined();
    expect(set.match(name('evil.com:8443/x'))).toBeUndefined();
  });

  it.each([
    // normalize.go adds `library/` only to `docker.io` as written: `Docker.IO/nginx` keeps the path
    // `nginx`, yet its host is `docker.io` to DNS, as the host of `docker.io:443/nginx` is.
    ['registry', 'nginx', 'Docker.IO/nginx', true],
    ['registry', 'nginx', 'DOCKER.IO:0443/nginx', true],
    ['registry', '*.docker.io/library/nginx', 'Docker.IO/nginx', true],
    ['registry', 'Docker.IO/nginx', 'nginx', true],
    ['registry', 'Docker.IO/nginx', 'registry-1.docker.io/nginx', true],
    ['exact', 'nginx', 'Docker.IO/nginx', false],
    // `myreg:443/` names the host `myreg`, which as text without its port reads as the Docker Hub path `myreg/`.
    ['registry', 'myreg:443/', 'myreg:443/x', true],
    ['registry', 'myreg:443/', 'MYREG/x', true],
    ['registry', 'myreg:0443/x', 'myreg:443/x', true],
    ['registry', 'myreg:443/', 'myreg/x', false],
    ['registry', 'myreg:443/', 'docker.io/myreg/x', false],
    // Names are matched with canonical ports: a literal port after wildcard labels is canonical too.
    ['registry', '*.evil.io:05000/', 'a.evil.io:05000/x', true],
    ['registry', '*.evil.io:05000/', 'a.evil.io:5000/x', true],
    ['registry', '*.evil.io:0443/', 'a.evil.io/x', true],
    ['registry', '*.evil.io:0443/', 'a.evil.io:0443/x', true],
    ['registry', '*.evil.io:05000/', 'a.evil.io:50000/x', false],
  ] as const)('%s sets: %s matches %s: %s', (spellings, pattern, image, matches) => {
    expect(compileImagePatternSet([pattern], spellings).set.match(name(image)) !== undefined).toBe(matches);
  });

  it('keep the pattern as written for messages', () => {
    expect(registrySet(['quay.io:443/evil/']).match(name('quay.io/evil/x'))).toMatchObject({
      source: 'quay.io:443/evil/',
      normalized: 'quay.io/evil/',
    });
  });

  it('report problems and warnings of the pattern as written', () => {
    expect(compileImagePatternSet(['registry-1.docker.io'], 'registry').problems).toEqual([
      expect.objectContaining({ index: 0, severity: 'warning' }),
    ]);
    expect(compileImagePatternSet(['quay.io:443/Evil/'], 'registry').problems).toEqual([
      expect.objectContaining({ index: 0, severity: 'error', message: expect.stringContaining('offset 12') }),
    ]);
  });

  const hubHost = fc.constantFrom(
    'docker.io',
    'index.docker.io',
    'registry-1.docker.io',
    'registry.hub.docker.com',
    'Docker.IO',
    'REGISTRY-1.docker.io',
  );
  const anyHost = fc
    .tuple(fc.oneof(host, hubHost), fc.constantFrom('', ':443', ':0443'))
    .map(([h, port]) => (h.includes(':') ? h : `${h}${port}`));
  it('a registry set matches a name exactly when an exact set matches one of its spellings', () => {
    const sources = fc.array(
      fc.oneof(
        fc.tuple(anyHost, path).map(([h, p]) => `${h}/${p}`),
        anyHost.map((h) => `${h}/`),
        fc.tuple(anyHost, component).map(([h, c]) => `${h}/${c}/*`),
        fc.constantFrom('*.docker.io/', '*.io:*/', 'docker.io:*/library/*', '**/x'),
        path,
      ),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(sources, anyHost, path, (list, h, p) => {
        const image = `${h}/${p}`;
        fc.pre(tryName(image));
        const actual = name(image);
        const canonical = canonicalRegistryName(actual.toLowerCase());
        const slash = canonical.indexOf('/');
        const [host, path] = [canonical.slice(0, slash), canonical.slice(slash)];
        const names = hostSpellings(host).flatMap((h) => pathSpellings(host, path).map((p) => h + p));
        const spelled = names.flatMap((s) =>
          list
            .flatMap((source) => registrySpellingsOfPattern(source))
            .map((variant) => [s, variant] as const),
        );
        const expected = spelled.some(([s, variant]) => exactSet([variant]).match(s) !== undefined);
        expect(registrySet(list).match(actual) !== undefined, `${list.join(' ')} ∋ ${actual}`).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

/** A pattern with a literal host, spelled with its canonical host too (what `registry` sets compile). */
function registrySpellingsOfPattern(source: string): string[] {
  const slash = source.indexOf('/');
  const first = slash === -1 ? '' : source.slice(0, slash);
  if (!/[.:]/.test(first) || first.includes('*')) return [source];
  return [source, canonicalRegistryHost(first.toLowerCase()) + source.slice(slash)];
}
