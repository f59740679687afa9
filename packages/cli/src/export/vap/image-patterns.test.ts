import { compileImagePatternSet, tryParseImageReference } from '@pullguard/engine';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newContext, toJs } from './__fixtures__/api-server.js';
import { imageString } from './__fixtures__/image-arbitrary.js';
import { patternSet, refTarget } from './image-patterns.js';
import { referenceVariables } from './reference.js';
import { workloadKinds } from './workloads.js';

const variables = referenceVariables({
  kinds: workloadKinds(undefined).kinds,
  matchNames: true,
  hostParts: true,
});

/** Per image, whether the CEL of `sources` matches its exemption name (`mname`). */
function celMatches(sources: readonly string[], images: readonly string[]): boolean[] {
  const condition = patternSet(sources).matches(refTarget('r', 'mname'));
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

/** What the engine matches: the normalized name of a valid reference, else the raw string (evaluate/match-exemptions.ts). */
function engineMatches(sources: readonly string[], image: string): boolean {
  const { set, problems } = compileImagePatternSet(sources);
  if (problems.some((p) => p.severity === 'error')) throw new Error(problems[0]?.message);
  const parsed = tryParseImageReference(image);
  return set.match(parsed.ok ? parsed.reference.name : image) !== undefined;
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
    fc.assert(
      fc.property(
        fc.subarray(PATTERNS, { minLength: 1, maxLength: 4 }),
        fc.array(
          fc.oneof(
            imageString,
            fc.constantFrom(
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
            ),
          ),
          { minLength: 1, maxLength: 5 },
        ),
        (sources, images) => {
          const cel = celMatches(sources, images);
          images.forEach((image, i) => {
            const shown = `${sources.join(' ')} ~ ${JSON.stringify(image)}`;
            expect(cel[i], shown).toBe(engineMatches(sources, image));
          });
        },
      ),
      { numRuns: 400 },
    );
  });
});
