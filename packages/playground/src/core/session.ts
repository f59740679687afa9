/**
 * One playground session: the editors' text in, what `pullguard check`, the admission webhooks
 * and `explain image` would say out. It runs the engine's own API (in the page, its browser
 * build) and the server's own answer code; nothing here decides a verdict itself.
 */
import {
  createEngine,
  createFixtureResolver,
  type Engine,
  effectivePullPolicy,
  explainImage,
  type Finding,
  type ImageExplanation,
  isPullguardError,
  type LoadedManifests,
  loadManifests,
  PullguardAggregateError,
  parseNamespacesFile,
  parsePolicies,
  parseRegistryFixtures,
  type RuleSummary,
  tryParseImageReference,
} from '@pullguard/engine';
import { type AdmissionView, admissionOf } from './admission.js';
import { type CheckOutcome, checkOutcome } from './check-outcome.js';
import { isError, type Problem, toProblem } from './problems.js';
import { EDITORS, type PlaygroundState } from './state.js';
import { type WorkloadView, workloadsOf } from './workloads.js';

export interface EvaluationResult {
  /** Every error and warning, each placed in its editor. */
  problems: Problem[];
  /** The report's findings, sorted by line (empty when the policies did not load). */
  findings: Finding[];
  workloads: WorkloadView[];
  check: CheckOutcome;
  /** The rules the engine knows: descriptions and hints for the findings. */
  rules: RuleSummary[];
}

export type ExplainView =
  | { ok: true; explanation: ImageExplanation }
  | { ok: false; code: string; message: string };

const file = (name: keyof PlaygroundState) => EDITORS.find((e) => e.name === name)!.file;

export class PlaygroundSession {
  #engine: Engine | undefined;
  #loaded: LoadedManifests | undefined;

  async evaluate(state: PlaygroundState): Promise<EvaluationResult> {
    const problems: Problem[] = [];
    const namespaces = parseNamespacesFile(state.namespaces, file('namespaces'));
    problems.push(...namespaces.errors.map((d) => toProblem(d, 'namespaces')));
    const registry = parseRegistryFixtures(state.registry, file('registry'));
    problems.push(...registry.errors.map((d) => toProblem(d, 'registry')));
    const engine = this.#createEngine(state.policy, namespaces.labels, registry.fixtures, problems);
    const loaded = loadManifests(state.manifests, { file: file('manifests') });
    this.#engine = engine;
    this.#loaded = loaded;
    // Without its policies (or with a broken namespaces or fixtures file) `check` stops before
    // evaluating: the manifests' own problems are still shown, so both editors can be fixed at once.
    const ready = engine !== undefined && !problems.some(isError);
    const report = ready ? await engine.evaluateLoaded(loaded) : undefined;
    // A report repeats the load's errors and warnings; without one they come from the load itself.
    const { errors, warnings } = report ?? { errors: loaded.errors, warnings: loaded.warnings ?? [] };
    problems.push(...[...errors, ...warnings].map((d) => toProblem(d, 'manifests')));
    const workloads = workloadsOf(loaded);
    return {
      problems,
      findings: report?.findings ?? [],
      workloads,
      check: checkOutcome(problems, report, workloads.length),
      rules: engine?.rules() ?? [],
    };
  }

  /** What the webhooks answer for the workload at `objectIndex` of the last evaluation. */
  admission(objectIndex: number): Promise<AdmissionView | undefined> {
    const object = this.#loaded?.objects.find((o) => o.index === objectIndex);
    if (this.#engine === undefined || object === undefined || !object.workload)
      return Promise.resolve(undefined);
    return admissionOf(this.#engine, object);
  }

  /** `pullguard explain image` for one reference. */
  explain(image: string): ExplainView {
    const parsed = tryParseImageReference(image);
    if (!parsed.ok) return { ok: false, code: parsed.error.code, message: parsed.error.message };
    return { ok: true, explanation: explainImage(image, parsed.reference, effectivePullPolicy({ image })) };
  }

  #createEngine(
    text: string,
    namespaceLabels: Record<string, Record<string, string>>,
    fixtures: Parameters<typeof createFixtureResolver>[0] | undefined,
    problems: Problem[],
  ): Engine | undefined {
    const parsed = parsePolicies([{ text, file: file('policy') }]);
    problems.push(...parsed.errors.map((d) => toProblem(d, 'policy')));
    if (parsed.errors.some((d) => d.severity === 'error')) return undefined;
    if (parsed.documents.length === 0) {
      // What `check --policy` says of a file without policies (readPolicies, POLICY_NONE).
      problems.push({
        editor: 'policy',
        code: 'POLICY_NONE',
        message: `no PullPolicy documents found in ${file('policy')}`,
        severity: 'error',
        line: undefined,
        column: undefined,
        field: undefined,
      });
      return undefined;
    }
    try {
      return createEngine({
        policies: parsed.documents,
        namespaceLabels,
        resolver: fixtures === undefined ? undefined : createFixtureResolver(fixtures),
      });
    } catch (error) {
      if (error instanceof PullguardAggregateError) {
        problems.push(...error.diagnostics.map((d) => toProblem(d, 'policy')));
        return undefined;
      }
      if (isPullguardError(error)) {
        problems.push(toProblem(error.toDiagnostic(), 'policy'));
        return undefined;
      }
      throw error;
    }
  }
}
