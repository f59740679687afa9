/**
 * Fuzz: image references and registry patterns. Whatever string a manifest or a policy holds, the
 * parser and the pattern compiler answer (a result or a located error) and never throw; a
 * reference that parses keeps its meaning when written back; and a denylist sees every spelling
 * of a registry (issue 11 item 5) for any repository, tag and digest, not only the ones listed in
 * the issue.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PullguardError, tryParseImageReference } from '../../src/index.js';
import { compileImagePatternSet } from '../../src/internals.js';
import { fuzzRuns, fuzzTestTimeout, withinBound } from './settings.js';

const RUNS = 400;

/** Characters that mean something to the reference grammar, and some that never may. */
const GRAMMAR = [
  'a',
  'z',
  'A',
  '0',
  '9',
  '.',
  '_',
  '-',
  '__',
  '/',
  ':',
  '@',
  '[',
  ']',
  '%',
  '*',
  ' ',
  '\n',
  '\u0000',
  'é',
  '\u{1F600}',
  '\uD800',
];
const grammarString = fc.array(fc.constantFrom(...GRAMMAR), { maxLength: 40 }).map((parts) => parts.join(''));

const SEEDS = [
  'nginx',
  'nginx:1.25',
  'library/nginx:latest',
  'registry.acme.io:5000/team/app:v1.2.3',
  `ghcr.io/acme/app@sha256:${'a'.repeat(64)}`,
  `[::1]:5000/x/y:tag@sha512:${'b'.repeat(128)}`,
  'localhost/app',
];

/** A valid reference with a few characters inserted, removed or replaced: near misses of every rule. */
const mutatedReference = fc
  .tuple(
    fc.constantFrom(...SEEDS),
    fc.array(
      fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom(...GRAMMAR, '', ':443', 'sha256:', '//')),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([seed, edits]) =>
    edits.reduce((s, [at, remove, insert]) => {
      const i = at % (s.length + 1);
      return s.slice(0, i) + insert + s.slice(i + remove);
    }, seed),
  );

const hugeString = fc
  .tuple(fc.constantFrom('a', 'a/', 'a.', ':', '@', '/a:'), fc.integer({ min: 200, max: 70_000 }))
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)));

const anyReferenceText = fc.oneof(
  { weight: 3, arbitrary: mutatedReference },
  { weight: 2, arbitrary: grammarString },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: hugeString },
);

describe('fuzz: image references', () => {
  it(
    'parse any string to a reference or an INVALID_IMAGE_REFERENCE error, never a throw',
    async () => {
      await fc.assert(
        fc.asyncProperty(anyReferenceText, async (text) => {
          const result = await withinBound('parsing a reference', () => tryParseImageReference(text));
          if (!result.ok) {
            expect(result.error).toBeInstanceOf(PullguardError);
            expect(result.error.code).toBe('INVALID_IMAGE_REFERENCE');
            expect(result.error.message).not.toBe('');
            return;
          }
          // What parses means the same when written back in any of its forms.
          const { reference } = result;
          for (const form of [reference.familiar, `${reference.name}${suffix(reference)}`]) {
            const again = tryParseImageReference(form);
            expect(again.ok, form).toBe(true);
            if (again.ok) expect(again.reference).toEqual(reference);
          }
        }),
        fuzzRuns(RUNS),
      );
    },
    fuzzTestTimeout(),
  );

  it(
    'compile any list of registry patterns to a set and located problems, never a throw',
    async () => {
      const pattern = fc.oneof(
        mutatedReference,
        grammarString,
        fc.constantFrom('*', '*/', '*.io/', 'docker.io/', 'a/**', ''),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(pattern, { maxLength: 8 }),
          fc.constantFrom('exact' as const, 'registry' as const),
          anyReferenceText,
          async (sources, spellings, image) => {
            const { set, problems } = await withinBound('compiling patterns', () =>
              compileImagePatternSet(sources, spellings),
            );
            for (const problem of problems) {
              expect(problem.index).toBeGreaterThanOrEqual(0);
              expect(problem.index).toBeLessThan(sources.length);
              expect(problem.message).not.toBe('');
            }
            const parsed = tryParseImageReference(image);
            if (parsed.ok) set.match(parsed.reference.name);
          },
        ),
        fuzzRuns(RUNS),
      );
    },
    fuzzTestTimeout(),
  );
});

/** `:tag@digest` as the reference has them. */
function suffix(reference: { tag: string | undefined; digest: string | undefined }): string {
  return `${reference.tag === undefined ? '' : `:${reference.tag}`}${reference.digest === undefined ? '' : `@${reference.digest}`}`;
}

// --- registry spellings (issue 11 item 5) ---------------------------------------------------------

const DOCKER_HUB = ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'];

/** Every way of writing a host that reaches the same registry: port 443 (leading zeros too), any case. */
function spellingsOf(host: string): string[] {
  const names = DOCKER_HUB.includes(host) ? DOCKER_HUB : [host];
  return names.flatMap((name) => [name, `${name}:443`, `${name}:0443`, name.toUpperCase()]);
}

const repository = fc
  .array(fc.constantFrom('library', 'nginx', 'evil', 'evilcorp', 'x', 'acme', 'app', 'team-a', 'a_b'), {
    minLength: 1,
    maxLength: 3,
  })
  .map((parts) => parts.join('/'));
const hostArb = fc.constantFrom(
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'evil.com',
  'quay.io',
  'registry.acme.io:5000',
  'ghcr.io',
);
const referenceSuffix = fc.oneof(
  fc.constant(''),
  fc.constantFrom(':1', ':latest', ':v1.2.3'),
  fc.constant(`@sha256:${'c'.repeat(64)}`),
);
const denylist = fc.array(
  fc.constantFrom(
    'docker.io/',
    'docker.io/library/',
    'docker.io/library/nginx',
    'registry-1.docker.io/',
    'index.docker.io:443/evil/',
    'evil.com/',
    'evil.com:443/',
    'quay.io/evil/',
    'quay.io:443/evil/x',
    '*.com/',
    'registry.acme.io:5000/team-a/',
    '*/evil/',
  ),
  { minLength: 1, maxLength: 4 },
);

describe('fuzz: a denylist sees every spelling of a registry', () => {
  it(
    'matches a reference however its host is spelled, or none of the spellings',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          denylist,
          hostArb,
          repository,
          referenceSuffix,
          async (sources, host, path, tail) => {
            const { set, problems } = compileImagePatternSet(sources, 'registry');
            expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
            const verdicts = new Map<string, boolean>();
            for (const spelling of spellingsOf(host)) {
              const parsed = tryParseImageReference(`${spelling}/${path}${tail}`);
              if (parsed.ok) verdicts.set(spelling, set.match(parsed.reference.name) !== undefined);
            }
            expect(new Set(verdicts.values()).size, JSON.stringify([...verdicts])).toBeLessThanOrEqual(1);
          },
        ),
        fuzzRuns(RUNS),
      );
    },
    fuzzTestTimeout(),
  );
});
