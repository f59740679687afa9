import {
  closePlugins,
  createEngine,
  type Diagnostic,
  type Engine,
  type Finding,
  formatDiagnostic,
  type LoadedManifests,
  loadManifestFiles,
  loadManifestObjects,
  loadManifests,
  loadPolicies,
} from '@pullguard/engine';
import type { ManifestOptions } from '../config/settings.js';
import { loadCliPlugins } from '../engine-setup.js';
import { compareFindings } from './expectations.js';
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
  const errors: Diagnostic[] = [];
  const namespaceLabels = c.labels === undefined ? undefined : { [c.namespace]: c.labels };
  for await (const loaded of caseInputs(test, c, manifests)) {
    const report = await engine.evaluate(loaded, { namespace: c.namespace, namespaceLabels });
    findings.push(...report.findings);
    errors.push(...report.errors);
  }
  const comparison = compareFindings(c.expected, findings);
  return {
    name: c.name,
    pass: comparison.pass && errors.length === 0,
    diff: [...comparison.diff, ...errors.map((d) => `! ${formatDiagnostic(d)}`)],
    line: c.location.line,
  };
}

/**
 * Runs every case of one test file against its own policies (and plugins). Policy errors throw.
 * `manifests` are the configuration's (extra workload kinds, limits): a test reads objects as
 * `check` does, so a Knative Service case is judged, not silently passed with no findings.
 */
export async function runTestFile(
  test: PolicyTestFile,
  cwd: string,
  options: { ruleTimeoutMs?: number | undefined; manifests?: ManifestOptions | undefined } = {},
): Promise<FileResult> {
  const manifests = options.manifests ?? {};
  const [policies, plugins] = await Promise.all([
    loadPolicies(test.policies),
    loadCliPlugins(test.plugins, cwd),
  ]);
  try {
    const engine = createEngine({
      policies,
      plugins,
      cache: false,
      ruleTimeoutMs: options.ruleTimeoutMs,
      manifests,
    });
    const cases: CaseResult[] = [];
    for (const c of test.cases) cases.push(await runCase(engine, test, c, manifests));
    return { file: test.file, name: test.name, cases };
  } finally {
    // Each test file loads its own plugins: their worker threads end with it.
    await closePlugins(plugins);
  }
}
