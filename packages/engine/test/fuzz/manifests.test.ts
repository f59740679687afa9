/**
 * Fuzz: manifests, as text and as objects, evaluated by an engine with the example policies and
 * one more that flags every image it judges (so that what was judged is visible). Whatever the
 * input, the evaluation answers, within the bound, a report that obeys the verdict rule with
 * located errors; a clean input has no errors and every image in it is judged — YAML features
 * (tags, anchors, merge keys, block scalars, CRLF…) hide nothing —; an input with a document
 * pullguard must refuse is `error`, never `pass`.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createEngine,
  type Engine,
  loadPolicies,
  parseNamespacesFile,
  parsePolicies,
} from '../../src/index.js';
import { EVERY_IMAGE_POLICY, expectImagesJudged, expectVerdictHolds } from './invariants.js';
import { manifests, workload } from './manifest-arbitraries.js';
import { mutated, strangeValue } from './mutations.js';
import { fuzzRuns, fuzzTestTimeout, withinBound } from './settings.js';
import { EXAMPLE_MANIFESTS, editedText } from './texts.js';

const RUNS = 200;
const FILE = 'input.yaml';

let engine: Engine;

beforeAll(async () => {
  const examples = new URL('../../../../examples/', import.meta.url);
  const policies = await loadPolicies([new URL('policies', examples).pathname]);
  const extra = parsePolicies([{ text: EVERY_IMAGE_POLICY, file: 'every-image.yaml' }]);
  expect(extra.errors).toEqual([]);
  const { labels } = parseNamespacesFile(
    readFileSync(new URL('manifests/namespaces.yaml', examples), 'utf8'),
    'namespaces.yaml',
  );
  engine = createEngine({ policies: [...policies, ...extra.documents], namespaceLabels: labels });
});

describe('fuzz: manifests', () => {
  it(
    'generated YAML and JSON: clean inputs are read whole, every image judged; refused documents make the verdict error',
    async () => {
      await fc.assert(
        fc.asyncProperty(manifests, async ({ text, images, refused }) => {
          const report = await withinBound('evaluating manifests', () =>
            engine.evaluateText(text, { file: FILE }),
          );
          expectVerdictHolds(report, FILE);
          if (refused !== undefined) {
            expect(report.verdict, `${refused} was not refused`).toBe('error');
            return;
          }
          expect(report.errors.filter((d) => d.severity === 'error')).toEqual([]);
          expectImagesJudged(report.findings, images);
        }),
        fuzzRuns(RUNS),
      );
    },
    fuzzTestTimeout(),
  );

  it(
    'manifest text cut, spliced and sprinkled with YAML syntax gets a report that obeys the verdict rule, errors located',
    async () => {
      await fc.assert(
        fc.asyncProperty(editedText(EXAMPLE_MANIFESTS.map((m) => m.text)), async (text) => {
          const report = await withinBound('evaluating manifests', () =>
            engine.evaluateText(text, { file: FILE }),
          );
          expectVerdictHolds(report, FILE);
        }),
        fuzzRuns(RUNS),
      );
    },
    fuzzTestTimeout(),
  );

  it(
    'objects given as data — workloads mutated anywhere, and anything at all — get a report that obeys the verdict rule',
    async () => {
      const objects = fc.oneof(
        mutated(workload.map((w) => w.object)),
        fc.array(mutated(workload.map((w) => w.object)), { maxLength: 3 }),
        strangeValue,
        fc.anything({ maxDepth: 4 }),
      );
      await fc.assert(
        fc.asyncProperty(
          objects,
          fc.constantFrom(undefined, 'prod-a', 'team-payments', ''),
          async (input, namespace) => {
            // Any value: a JavaScript caller can pass evaluateObject what its types do not allow.
            const report = await withinBound('evaluating objects', () =>
              Array.isArray(input)
                ? engine.evaluateObjects(input, { namespace })
                : engine.evaluateObject(input as Record<string, unknown>, { namespace }),
            );
            expectVerdictHolds(report);
          },
        ),
        fuzzRuns(RUNS),
      );
    },
    fuzzTestTimeout(),
  );
});
