/**
 * Fuzz: policies, as text and as objects. What a policy author writes — the example policies
 * mutated at random places into random values, types and shapes, or their text cut and spliced —
 * is parsed, compiled and evaluated with answers only: located diagnostics with registered codes,
 * a PullguardAggregateError from the compiler, or an engine whose reports obey the verdict rule.
 * Nothing throws anything else, nothing takes long.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  createEngine,
  type Engine,
  type PolicyDocument,
  PullguardAggregateError,
  parsePolicies,
} from '../../src/index.js';
import { builtinRules } from '../../src/internals.js';
import { expectDiagnostic, expectVerdictHolds } from './invariants.js';
import { applyEdits, edit, strangeString, strangeValue } from './mutations.js';
import { fuzzRuns, fuzzTestTimeout, withinBound } from './settings.js';
import { EXAMPLE_MANIFESTS, editedText } from './texts.js';

const RUNS = 100;
const FILE = 'policy.yaml';

const policiesDir = new URL('../../../../examples/policies/', import.meta.url);
const EXAMPLE_POLICIES = readdirSync(policiesDir)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((name) => readFileSync(new URL(name, policiesDir), 'utf8'));
const EXAMPLE_OBJECTS = EXAMPLE_POLICIES.map((text) => parseYaml(text) as unknown);

const mutatedPolicyText = fc
  .tuple(
    fc.array(
      fc.tuple(fc.nat({ max: EXAMPLE_OBJECTS.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 4 })),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
    fc.constantFrom('yaml' as const, 'json' as const),
  )
  .map(([documents, format]) =>
    documents
      .map(([index, edits]) => {
        const doc = applyEdits(EXAMPLE_OBJECTS[index], edits);
        return format === 'json' ? JSON.stringify(doc) : stringifyYaml(doc, { aliasDuplicateObjects: false });
      })
      .join('\n---\n'),
  );

// --- rule entries: a valid policy around random rules, options and JSON Logic ---------------------

/** Each built-in rule with the option names its schema declares. */
const RULE_OPTIONS = builtinRules.map((rule) => ({
  id: rule.id,
  names: Object.keys((rule.options as { properties?: object } | undefined)?.properties ?? {}),
}));

const FACT_PATHS = [
  'image.name',
  'image.registry',
  'image.tag',
  'image.digest',
  'image.familiar',
  'image',
  'container.type',
  'container.name',
  'workload.kind',
  'workload.annotations',
  'namespace.labels.team',
  'pullPolicy.effective',
  'constructor',
  '__proto__.x',
  '',
];
const LOGIC_OPERATORS = [
  '==',
  '!=',
  '===',
  '!',
  '!!',
  'and',
  'or',
  'if',
  'in',
  'cat',
  'substr',
  'merge',
  'map',
  'filter',
  'all',
  'some',
  'none',
  'reduce',
  '+',
  '<',
  'missing',
  'min',
  'var',
  'log',
  'method',
];

/** JSON Logic as a policy author (or an attacker with write access to policies) might write it. */
const logic: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...FACT_PATHS).map((path) => ({ var: path })),
    fc.oneof(
      fc.boolean(),
      fc.integer(),
      fc.constantFrom('docker.io', 'latest', '', 'x'.repeat(1000)),
      fc.constant(null),
    ),
    fc
      .tuple(fc.constantFrom(...LOGIC_OPERATORS), fc.array(tie('node'), { maxLength: 4 }))
      .map(([op, args]) => ({ [op]: args })),
    fc.array(tie('node'), { maxLength: 3 }),
  ),
})).node;

/** Option values: as often of a plausible shape (a pattern, a list of them, a flag) as anything at all. */
const optionValue = fc.oneof(
  strangeValue,
  strangeString,
  fc.array(strangeString, { maxLength: 4 }),
  fc.boolean(),
  fc.array(fc.constantFrom('Always', 'IfNotPresent', 'Never', 'always'), { maxLength: 3 }),
);

const ruleEntry = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...RULE_OPTIONS),
      fc.array(fc.tuple(fc.nat(), optionValue), { maxLength: 3 }),
      fc.option(fc.constantFrom('deny', 'warn', 'audit')),
      fc.boolean(),
    )
    .map(([rule, values, action, mutate]) => ({
      rule: rule.id,
      ...(action === null ? {} : { action }),
      ...(mutate ? { mutate } : {}),
      ...(values.length === 0
        ? {}
        : {
            with: Object.fromEntries(
              values.map(([i, v]) => [rule.names[i % Math.max(1, rule.names.length)] ?? 'x', v]),
            ),
          }),
    })),
  fc
    .tuple(logic, fc.option(fc.constantFrom('{{image.familiar}} {{x}}', '{{', '{{constructor}}')))
    .map(([when, message]) => ({
      rule: 'expression',
      id: 'fuzz-expression',
      when,
      ...(message === null ? {} : { message }),
    })),
);

const policyWithRules = fc
  .tuple(
    fc.array(ruleEntry, { minLength: 1, maxLength: 4 }),
    fc.constantFrom(['*'], ['prod-*'], ['team-*', 'dev-x']),
  )
  .map(([rules, namespaces]) => {
    // Instance ids must be unique within a policy: number them.
    const numbered = rules.map((entry, i) => ({
      ...entry,
      id: `${'id' in entry ? entry.id : entry.rule}-${i}`,
    }));
    return stringifyYaml({
      apiVersion: 'pullguard.dev/v1',
      kind: 'PullPolicy',
      metadata: { name: 'fuzz' },
      spec: { namespaces, rules: numbered },
    });
  });

/** Parses, compiles and evaluates `text` as a policy file; asserts every answer is well formed. */
async function judge(text: string): Promise<void> {
  const parsed = await withinBound('parsing policies', () => parsePolicies([{ text, file: FILE }]));
  for (const d of parsed.errors) expectDiagnostic(d, FILE);
  if (parsed.errors.some((d) => d.severity === 'error')) return;
  const engine = await withinBound('compiling policies', () => compiled(parsed.documents));
  if (engine === undefined) return;
  for (const manifests of EXAMPLE_MANIFESTS) {
    const report = await withinBound('evaluating', () =>
      engine.evaluateText(manifests.text, { file: manifests.file }),
    );
    expectVerdictHolds(report, manifests.file);
  }
}

/** The engine, or undefined when the compiler refused the policies with located diagnostics. */
function compiled(documents: readonly PolicyDocument[]): Engine | undefined {
  try {
    return createEngine({ policies: documents, cache: false });
  } catch (error) {
    expect(error).toBeInstanceOf(PullguardAggregateError);
    const { diagnostics } = error as PullguardAggregateError;
    expect(diagnostics.length).toBeGreaterThan(0);
    for (const d of diagnostics) expectDiagnostic(d, FILE);
    return undefined;
  }
}

describe('fuzz: policies', () => {
  it('the example policies themselves load and judge (the seeds are valid)', async () => {
    for (const text of EXAMPLE_POLICIES) {
      const { errors } = parsePolicies([{ text, file: FILE }]);
      expect(errors.filter((d) => d.severity === 'error')).toEqual([]);
    }
    await judge(EXAMPLE_POLICIES.join('\n---\n'));
  });

  it(
    'mutated policy objects (random values, types, keys and shapes at random places) are judged or refused where they are wrong',
    async () => {
      await fc.assert(fc.asyncProperty(mutatedPolicyText, judge), fuzzRuns(RUNS));
    },
    fuzzTestTimeout(),
  );

  it(
    'random rules, options and JSON Logic in a valid policy compile to an engine or are refused at their field',
    async () => {
      await fc.assert(fc.asyncProperty(policyWithRules, judge), fuzzRuns(RUNS));
    },
    fuzzTestTimeout(),
  );

  it(
    'policy text cut, spliced and sprinkled with YAML syntax is judged or refused where it is wrong',
    async () => {
      await fc.assert(fc.asyncProperty(editedText(EXAMPLE_POLICIES), judge), fuzzRuns(RUNS));
    },
    fuzzTestTimeout(),
  );
});
