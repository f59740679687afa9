/**
 * The exported ValidatingAdmissionPolicies judge every admitted object as `pullguard check` does:
 * for each object and namespace, the simulated API server (bindings, matchConditions, variables,
 * validations, validationActions) fails exactly the (policy, rule, action) triples the engine
 * reports as non-exempt findings, and denies exactly when the engine's verdict is fail. Rules the
 * export reports as not exported are left out of the comparison (and asserted to be reported).
 * Inputs: generated workloads of every kind in namespaces of every shape, and the real corpus.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicies, parsePolicies } from '@pullguard/engine';
import { runsPods } from '@pullguard/engine/internals';
import fc from 'fast-check';
import { ValidatingAdmissionPolicy } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy';
import { ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { SHARED_CORPUS_DIR as CORPUS, itWithCorpus } from '../../../../../vitest.corpus.js';
import { ADMITTED_KINDS, admitted } from './__fixtures__/admission.js';
import { COVERAGE_POLICIES, NAMESPACES, workload } from './__fixtures__/coverage.js';
import { compare, setUp } from './__fixtures__/equivalence.js';
import type { KubeObject } from './objects.js';

type Json = Record<string, unknown>;

const REPO = fileURLToPath(new URL('../../../../../', import.meta.url));

/** While the example production exemption (expires 2028-03-31) is active, and after it expired. */
const BEFORE = Date.parse('2026-06-01T00:00:00Z');
const AFTER = Date.parse('2028-06-01T00:00:00Z');

function validateSchema(objects: readonly KubeObject[]) {
  for (const object of objects) {
    const Model =
      object.kind === 'ValidatingAdmissionPolicy'
        ? ValidatingAdmissionPolicy
        : ValidatingAdmissionPolicyBinding;
    expect(
      () => new Model(object as never).validate(),
      (object['metadata'] as Json)['name'] as string,
    ).not.toThrow();
  }
}

describe('exported ValidatingAdmissionPolicies judge admitted objects as pullguard check does', () => {
  const coverage = parsePolicies(COVERAGE_POLICIES.map((text, i) => ({ text, file: `coverage-${i}.yaml` })));
  expect(coverage.errors).toEqual([]);

  it('validate against the admissionregistration.k8s.io/v1 schema', async () => {
    const examples = await loadPolicies([join(REPO, 'examples', 'policies')]);
    validateSchema(setUp(examples, BEFORE).exported.objects);
    validateSchema(setUp(coverage.documents, BEFORE).exported.objects);
  });

  it('report what they cannot export, by policy and rule', () => {
    const { exported } = setUp(coverage.documents, BEFORE);
    expect(exported.notExported.map((n) => `${n.severity} ${n.policy}/${n.rule}`)).toEqual([
      'unexported selected/path-before-m',
    ]);
  });

  it.each([
    ['while an exemption is active', BEFORE],
    ['after it expired', AFTER],
  ])(
    'the example policies, %s, on generated workloads in every namespace',
    async (_, now) => {
      const examples = await loadPolicies([join(REPO, 'examples', 'policies')]);
      const setup = setUp(examples, now);
      await fc.assert(
        fc.asyncProperty(workload, fc.constantFrom(...NAMESPACES), async (object, namespace) => {
          await compare(setup, object, namespace);
        }),
        { numRuns: 300 },
      );
    },
    120_000,
  );

  it('the coverage policies, on generated workloads in every namespace (and as pods/ephemeralcontainers)', async () => {
    const setup = setUp(coverage.documents, BEFORE);
    await fc.assert(
      fc.asyncProperty(
        workload,
        fc.constantFrom(...NAMESPACES),
        fc.boolean(),
        async (object, namespace, ephemeral) => {
          const subResource = ephemeral && object['kind'] === 'Pod' ? 'ephemeralcontainers' : undefined;
          await compare(setup, object, namespace, subResource);
        },
      ),
      { numRuns: 1000 },
    );
  }, 240_000);

  itWithCorpus(
    'the real corpus, every workload in several namespaces',
    async () => {
      const examples = await loadPolicies([join(REPO, 'examples', 'policies')]);
      const setups = [setUp(examples, BEFORE), setUp(coverage.documents, BEFORE)];
      let compared = 0;
      for (const file of readdirSync(CORPUS).filter((f) => /\.(ya?ml|json)$/.test(f))) {
        for (const object of corpusWorkloads(readFileSync(join(CORPUS, file), 'utf8'))) {
          for (const [i, namespace] of NAMESPACES.entries()) {
            if (i % 3 !== compared % 3) continue;
            const input = admitted(object, namespace.name);
            for (const setup of setups) {
              const report = await setup.engine.evaluateObject(input, {
                namespace: namespace.name,
                admitted: true,
              });
              if (report.errors.length > 0) continue; // the API server would refuse the object before admission
              await compare(setup, object, namespace);
            }
          }
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(200);
    },
    240_000,
  );
});

/** Workload objects of the kinds the API server serves, from a multi-document YAML file. */
function corpusWorkloads(text: string): Json[] {
  const out: Json[] = [];
  let documents: ReturnType<typeof parseAllDocuments>;
  try {
    documents = parseAllDocuments(text, { logLevel: 'silent' });
  } catch {
    return out;
  }
  const add = (value: unknown) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    const object = value as Json;
    if (Array.isArray(object['items'])) for (const item of object['items']) add(item);
    const { apiVersion, kind } = object;
    if (
      typeof apiVersion === 'string' &&
      typeof kind === 'string' &&
      ADMITTED_KINDS.includes(kind) &&
      runsPods(apiVersion, kind)
    )
      out.push(object);
  };
  for (const document of Array.isArray(documents) ? documents : [documents]) {
    if (document.errors.length > 0) continue;
    try {
      add(document.toJS());
    } catch {
      // an alias bomb or similar: the engine's loader reports those; not an admission input
    }
  }
  return out;
}
