import { tryParseImageReference } from '@pullguard/engine';
import { compileImagePatternSet } from '@pullguard/engine/internals';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newContext, toJs } from './__fixtures__/api-server.js';
import { imageString } from './__fixtures__/image-arbitrary.js';
import { patternSet, refTarget, registryPatternSet, spelledTarget } from './image-patterns.js';
import { referenceVariables } from './reference.js';
import { workloadKinds } from './workloads.js';

const variables = referenceVariables({
  kinds: workloadKinds(undefined).kinds,
  matchNames: true,
  hostParts: true,
  spellings: true,
});

/** Per image, whether `condition` (over the ref `r`) holds in CEL. */
function celEach(condition: string, images: readonly string[]): boolean[] {
  const context = newContext(
    { variables },
    {
      object: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) },
      },
      namespace: { name: 'ns', labels: {} },
      resource: { group: '', resource: 'pods' },
      operation: 'CREATE',
    },
  );
  const result = toJs(context.evaluate(`variables.refs.map(r, ${condition})`));
  if (!Array.isArray(result)) throw new Error(String(result));
  return result as boolean[];
}

/** Per image, whether the CEL of an exact set of `sources` matches its exemption name (`mname`). */
const celMatches = (sources: readonly string[], images: readonly string[]) =>
  celEach(patternSet(sources).matches(refTarget('r', 'mname')), images);

/** Per image, whether the CEL of a registry set of `sources` matches a valid reference (denied-registries). */
const celDenies = (sources: readonly string[], images: readonly string[]) =>
  celEach(`r.valid && ${registryPatternSet(sources).matches(spelledTarget('r'))}`, images);

/** The engine's set of `sources`, which compile. */
function engineSet(sources: readonly string[], spellings: 'exact' | 'registry') {
  const { set, problems } = compileImagePatternSet(sources, spellings);
  if (problems.some((p) => p.severity === 'error')) throw new Error(problems[0]?.message);
  return set;
}

/** What the engine matches: the normalized name of a valid reference, else the raw string (evaluate/match-exemptions.ts). */
function engineMatches(sources: readonly string[], image: string): boolean {
  const parsed = tryParseImageReference(image);
  return engineSet(sources, 'exact').match(parsed.ok ? parsed.reference.name : image) !== undefined;
}

/** What a registry set of the engine matches (denied-registries): valid references only. */
function engineDenies(sources: readonly string[], image: string): boolean {
  const parsed = tryParseImageReference(image);
  return parsed.ok && engineSet(sources, 'registry').match(parsed.reference.name) !== undefined;
}

/** For up to four of `patterns` and images generated or picked from `images`, `cel` answers as `engine` does. */
function agreesWithEngine(
  patterns: readonly string[],
  images: readonly string[],
  cel: (sources: readonly string[], images: readonly string[]) => boolean[],
  engine: (sources: readonly string[], image: string) => boolean,
): void {
  fc.assert(
    fc.property(
      fc.subarray([...patterns], { minLength: 1, maxLength: 4 }),
      fc.array(fc.oneof(imageString, fc.constantFrom(...images)), { minLength: 1, maxLength: 5 }),
      (sources, list) => {
        const answers = cel(sources, list);
        list.forEach((image, i) => {
          const shown = `${sources.join(' ')} ~ ${JSON.stringify(image)}`;
          expect(answers[i], shown).toBe(engine(sources, image));
        });
      },
    ),
    { numRuns: 400 },
  );
}

const PATTERNS = [
  'nginx',
  'docker.io/library/',
  'registry.acme.io/',
  'Registry.Acme.IO/app',
  'ghcr.io/acme/*-api',
  'ghcr.io/**/app',
  '**/approved/*',
  '**',
  '*.acme.io/',
  '*.acme.io:5000/',
  'eu-*.acme.io/x',
  'reg.*:*/x',
  '*:5000/x',
  'localhost:*/',
  '[::1]:5000/',
  'foo_bar.com/',
  'a*b/c',
  '*.evil.example/ok/*',
  'BAD/**',
  'acme/',
];

describe('image patterns in CEL', () => {
  it('match exactly what the engine matches, on valid names and on raw strings that do not parse', () => {
    agreesWithEngine(
      PATTERNS,
      [
        'eu.acme.io:5000/a',
        'EU.acme.io/x',
        '[::1]:5000/x',
        'x.acme.io/',
        'a.b.acme.io/x',
        'reg.io:80/x',
        'ab/c',
        'axxb/c',
        'BAD/x/y',
        'bad/X',
      ],
      celMatches,
      engineMatches,
    );
  });
});

/** Registry patterns: every spelling of Docker Hub, `:443`, leading zeros, one-label hosts, wildcards in host, port and across hosts. */
const REGISTRY_PATTERNS = [
  'nginx',
  'acme/',
  'docker.io/library/',
  'docker.io:443/',
  'index.docker.io/evil/',
  'registry-1.docker.io/mallory/',
  'Docker.IO/busybox',
  'registry.hub.docker.com:0443/library/alpine',
  'registry.acme.io:0443/blocked/',
  'registry.acme.io:05000/',
  'myreg:443/',
  'MYREG/x',
  '[::1]:0443/',
  'foo_bar.com/',
  'docker.io/*',
  '*.docker.io/',
  '*.docker.io:443/library/*',
  'registry*.docker.io/x/**',
  'docker.io:*/',
  'docker.io:4*/x',
  '*.acme.io:0443/',
  '*.acme.io:*/',
  '*.evil.example/',
  'reg*:05000/x',
  '*:443/x',
  '*.com/',
  '**',
  '**/nginx',
  '**/cryptominer/*',
  '**/docker.io/library/*',
  '**/registry-1.docker.io/**',
  '**/*.io/x',
  '**/*/x',
];

describe('registry patterns in CEL (denied-registries, private-images)', () => {
  it('match exactly what the engine matches under every spelling of a registry', () => {
    agreesWithEngine(
      REGISTRY_PATTERNS,
      [
        'nginx',
        'Docker.IO/nginx',
        'DOCKER.IO:0443/nginx',
        'registry-1.docker.io/nginx',
        'registry.hub.docker.com:443/library/busybox',
        'REGISTRY.HUB.docker.com/alpine',
        'index.docker.io:0443/evil/x',
        'registry-1.docker.io:443/mallory/tool',
        'registry-1.docker.io/x/a/b',
        'registry.acme.io:443/blocked/x',
        'registry.acme.io:0443/blocked/x',
        'registry.acme.io:005000/x',
        'registry.acme.io:50000/x',
        'myreg/x',
        'MYREG:443/x',
        'myreg:0443/x',
        'acme/x',
        '[::1]/a',
        '[::1]:443/a',
        'a.acme.io/x',
        'a.acme.io:0443/x',
        'a.acme.io:8443/x',
        'docker.io:5000/x',
        'docker.io:4430/x',
        'docker.io:0443/x',
        'x.docker.io/x',
        'reg1:05000/x',
        'reg1:5000/x',
        'quay.io:443/cryptominer/x',
        'foo_bar.com/x',
        'x.com/x',
        'docker.io/nginx',
        'docker.io/acme/x',
        'ghcr.io/x',
        'ghcr.io:443/a/x',
      ],
      celDenies,
      engineDenies,
    );
  });
});
