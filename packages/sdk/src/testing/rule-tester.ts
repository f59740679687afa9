/**
 * A harness for plugin authors: evaluate one rule of a plugin against inline manifests, with
 * options and a namespace, through the real engine. The rule is wrapped in a synthetic one-rule
 * policy parsed by the engine's own policy parser, so options are validated against the rule's
 * schema, `prepare` runs, plugin registration checks apply, and async rules get their timeout —
 * exactly as in `pullguard check` or the webhook. Framework-agnostic: no test runner is imported.
 */
import {
  type Action,
  type Clock,
  createEngine,
  type Finding,
  type LoadedManifests,
  loadManifestObjects,
  loadManifests,
  type PluginDefinition,
  PullguardAggregateError,
  parsePolicies,
  type RegistryResolver,
  type Report,
} from '@pullguard/engine';
import { POLICY_API_VERSION, POLICY_KIND } from '@pullguard/engine/internals';

export interface RuleTesterOptions {
  /** Time source for `ctx.now` and exemption expiry (default: the system clock). */
  clock?: Clock | undefined;
  /** Timeout of async rules, ms (default: the engine's, 1000). */
  ruleTimeoutMs?: number | undefined;
  /** Other plugins the rules under test rely on being registered next to (e.g. to test id clashes). */
  plugins?: readonly PluginDefinition[] | undefined;
  /**
   * What registries answer, for rules that read the `registry` facts: usually
   * `createFixtureResolver({ 'nginx:1.25': 'sha256:…' })`. Without one, lookups are "not checked".
   */
  resolver?: RegistryResolver | undefined;
}

export interface RuleRun {
  /** A YAML/JSON text (multi-document), one Kubernetes object, or a list of objects. */
  manifests: string | Readonly<Record<string, unknown>> | readonly Readonly<Record<string, unknown>>[];
  /** The policy entry's `with:` options (validated against the rule's schema). */
  with?: unknown;
  /** Namespace for objects without one (default `default`). */
  namespace?: string | undefined;
  /**
   * Labels of `namespace`, as the server learns them from Namespace objects or the CLI from a file.
   * (Workloads that set `metadata.namespace` run there: set `namespace` to it.)
   */
  namespaceLabels?: Readonly<Record<string, string>> | undefined;
  /** The entry's action (default: the rule's `defaultAction`, else `deny`). */
  action?: Action | undefined;
  /** Evaluate as the admission webhook does: API-server defaults already applied. */
  admitted?: boolean | undefined;
  /** Name used in locations (default `manifests.yaml`). */
  file?: string | undefined;
}

export interface RuleTester {
  /**
   * The findings of the rule under test on the manifests (not those of the engine's always-on
   * `invalid-image` check: see `report`). Rejects when the manifests or the options are invalid.
   */
  run(ruleId: string, run: RuleRun): Promise<Finding[]>;
  /** The whole report, for tests that look at the verdict, mutations, summary or every finding. */
  report(ruleId: string, run: RuleRun): Promise<Report>;
}

/** The name of the synthetic policy that wraps the rule under test; findings carry it as `policy`. */
export const TEST_POLICY_NAME = 'rule-under-test';

export function createRuleTester(plugin: PluginDefinition, options: RuleTesterOptions = {}): RuleTester {
  const report = async (ruleId: string, run: RuleRun): Promise<Report> => {
    const namespace = run.namespace ?? 'default';
    const engine = createEngine({
      policies: testPolicy(ruleId, run),
      plugins: [plugin, ...(options.plugins ?? [])],
      cache: false,
      clock: options.clock,
      ruleTimeoutMs: options.ruleTimeoutMs,
      resolver: options.resolver,
    });
    const loaded = loadTestManifests(run);
    return engine.evaluateLoaded(loaded, {
      namespace,
      namespaceLabels: run.namespaceLabels ? { [namespace]: run.namespaceLabels } : undefined,
      admitted: run.admitted,
    });
  };
  return {
    report,
    // Only the rule under test: the engine's always-on checks (invalid-image) report in their own policy.
    run: async (ruleId, run) =>
      (await report(ruleId, run)).findings.filter((f) => f.policy === TEST_POLICY_NAME),
  };
}

/** Loads the run's manifests, refusing ones that do not load or labels that no workload would see. */
function loadTestManifests(run: RuleRun): LoadedManifests {
  const file = run.file ?? 'manifests.yaml';
  const loaded =
    typeof run.manifests === 'string'
      ? loadManifests(run.manifests, { file })
      : loadManifestObjects(run.manifests, { file });
  if (loaded.errors.length > 0) {
    throw new PullguardAggregateError('the manifests given to the rule tester do not load', loaded.errors);
  }
  const namespace = run.namespace ?? 'default';
  const elsewhere = loaded.images
    .map((i) => i.workload.namespace ?? namespace)
    .filter((ns) => ns !== namespace);
  if (run.namespaceLabels && elsewhere.length === loaded.images.length && elsewhere.length > 0) {
    throw new Error(
      `the rule tester's namespaceLabels are the labels of namespace "${namespace}", but the workloads run in ` +
        `${[...new Set(elsewhere)].join(', ')}: pass namespace: '${elsewhere[0]}'`,
    );
  }
  return loaded;
}

/** A one-rule policy for every namespace, parsed by the engine so that it is what a user could write. */
function testPolicy(ruleId: string, run: RuleRun) {
  const entry: Record<string, unknown> = { rule: ruleId };
  if (run.with !== undefined) entry['with'] = run.with;
  if (run.action !== undefined) entry['action'] = run.action;
  const document = {
    apiVersion: POLICY_API_VERSION,
    kind: POLICY_KIND,
    metadata: { name: TEST_POLICY_NAME },
    spec: { namespaces: ['*'], rules: [entry] },
  };
  const { documents, errors } = parsePolicies([
    { text: JSON.stringify(document, null, 2), file: 'rule-tester' },
  ]);
  if (errors.length > 0) {
    throw new PullguardAggregateError(`the rule tester could not build a policy for ${ruleId}`, errors);
  }
  return documents;
}
