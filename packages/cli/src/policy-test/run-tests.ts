import {
  closePlugins,
  createEngine,
  createFixtureResolver,
  type Diagnostic,
  type Engine,
  type Finding,
  formatDiagnostic,
  type LoadedManifests,
  loadManifestFiles,
  loadManifestObjects,
  loadManifests,
  loadPolicies,
  type RegistryFixtures,
  type RegistryResolver,
} from '@pullguard/engine';
import type { ManifestOptions } from '../config/settings.js';
import { loadCliPlugins } from '../engine-setup.js';
import { type ActualMutation, compareFindings, compareMutations } from './expectations.js';
import type { PolicyTestFile, TestCase } from './test-file.js';

export interface CaseResult {
  name: string;
  pass: boolean;
  /** Expected vs actual (see compareFindings), then any load errors. */
  diff: string[];
  line: number;
}

export interface FileResult {
  file: string;
  name: string;
  cases: CaseResult[];
}

async function* caseInputs(
  test: PolicyTestFile,
  c: TestCase,
  manifests: ManifestOptions,
): AsyncGenerator<LoadedManifests> {
  const file = `${test.file}#${c.name}`;
  if (typeof c.inline === 'string') yield loadManifests(c.inline, { ...manifests, file });
  else if (c.inline !== undefined) yield loadManifestObjects(c.inline, { ...manifests, file });
  yield* loadManifestFiles(c.files, manifests);
}

async function runCase(
  engine: Engine,
  test: PolicyTestFile,
  c: TestCase,
  manifests: ManifestOptions,
): Promise<CaseResult> {
  const findings: Finding[] = [];
  const mutations: ActualMutation[] = [];
  const errors: Diagnostic[] = [];
  const namespaceLabels = c.labels === undefined ? undefined : { [c.namespace]: c.labels };
  for await (const loaded of caseInputs(test, c, manifests)) {
    const report = await engine.evaluateLoaded(loaded, { namespace: c.namespace, namespaceLabels });
    findings.push(...report.findings);
    errors.push(...report.errors);
    // Each mutation is the fix of a finding (the same object): its workload and container.
    for (const fix of report.mutations) {
      const finding = report.findings.find((f) => f.fix === fix);
      if (finding !== undefined) mutations.push({ fix, finding });
    }
  }
  const comparisons = [compareFindings(c.expected, findings)];
  if (c.mutations !== undefined) comparisons.push(compareMutations(c.mutations, mutations));
  return {
    name: c.name,
    pass: comparisons.every((comparison) => comparison.pass) && errors.length === 0,
    diff: [
      ...comparisons.flatMap((comparison) => comparison.diff),
      ...errors.map((d) => `! ${formatDiagnostic(d)}`),
    ],
    line: c.location.line,
  };
}

/**
 * Runs every case of one test file against its own policies (and plugins). Policy errors throw.
 * `manifests` are the configuration's (extra workload kinds, limits): a test reads objects as
 * `check` does, so a Knative Service case is judged, not silently passed with no findings.
 * Registry lookups are answered by the case's fixtures (over the file's); a test that declares
 * none asks `resolver`, the registry access of the command line (none with --offline).
 */
export async function runTestFile(
  test: PolicyTestFile,
  cwd: string,
  options: {
    ruleTimeoutMs?: number | undefined;
    manifests?: ManifestOptions | undefined;
    resolver?: RegistryResolver | undefined;
  } = {},
): Promise<FileResult> {
  const manifests = options.manifests ?? {};
  const [policies, plugins] = await Promise.all([
    loadPolicies(test.policies),
    loadCliPlugins(test.plugins, cwd),
  ]);
  // One engine per set of fixtures: cases that only have the file's share it.
  const engines = new Map<RegistryFixtures | undefined, Engine>();
  const engineFor = (fixtures: RegistryFixtures | undefined): Engine => {
    let engine = engines.get(fixtures);
    if (engine === undefined) {
      engine = createEngine({
        policies,
        plugins,
        cache: false,
        ruleTimeoutMs: options.ruleTimeoutMs,
        manifests,
        resolver: fixtures === undefined ? options.resolver : createFixtureResolver(fixtures),
      });
      engines.set(fixtures, engine);
    }
    return engine;
  };
  try {
    const cases: CaseResult[] = [];
    for (const c of test.cases) cases.push(await runCase(engineFor(c.registry), test, c, manifests));
    return { file: test.file, name: test.name, cases };
  } finally {
    // Each test file loads its own plugins: their worker threads end with it.
    await closePlugins(plugins);
  }
}
