/**
 * The engine: policies compiled once into per-namespace plans, evaluated against manifests given
 * as text, objects or loaded manifests, each kind through its own entry point. Reload swaps the compiled set atomically: an evaluation
 * holds the set it started with, and a reload that fails keeps serving the last good one.
 */
import type {
  CacheStats,
  Engine,
  EngineOptions,
  EvaluateOptions,
  EvaluateTextOptions,
  LoadedManifests,
  ManifestLoadOptions,
  PolicyDocument,
  ReloadResult,
} from '../engine-api.js';
import { type Diagnostic, PullguardAggregateError } from '../errors.js';
import { loadManifestObjects, loadManifests } from '../manifests/load-manifests.js';
import { runsPods } from '../manifests/workload-kinds.js';
import { createRuleCatalog } from '../plugins/catalog.js';
import { compilePolicies } from '../policy/compile-policies.js';
import type { CompiledPolicySet } from '../policy/compiled-policy.js';
import { type Report, systemClock } from '../types.js';
import { type CachedOutcome, evaluateManifests } from './evaluator.js';
import { emptyFacts } from './facts.js';
import { PlanPreparer } from './prepared-plan.js';
import { ResultCache } from './result-cache.js';

const DEFAULT_NAMESPACE = 'default';
const DEFAULT_RULE_TIMEOUT_MS = 1000;

type Labels = Readonly<Record<string, string>>;

/** What serves evaluations between two reloads. */
interface Serving {
  set: CompiledPolicySet;
  preparer: PlanPreparer;
  /** The compile warnings, as of load time (`engine.warnings()`). */
  warnings: Diagnostic[];
  /** The compile warnings every report repeats: those that do not depend on the time. */
  reportWarnings: Diagnostic[];
}

/**
 * Creates an engine. Throws PullguardAggregateError when a plugin cannot be registered or the
 * initial policies do not compile (every problem listed, with file, line and field).
 */
export function createEngine(options: EngineOptions): Engine {
  const catalog = createRuleCatalog(options.plugins ?? []);
  const clock = options.clock ?? systemClock;
  const cache = options.cache === false ? undefined : new ResultCache<CachedOutcome>(options.cache ?? {});
  const defaultNamespace = options.defaultNamespace ?? DEFAULT_NAMESPACE;
  const ruleTimeoutMs = options.ruleTimeoutMs ?? DEFAULT_RULE_TIMEOUT_MS;
  const manifestOptions: Omit<ManifestLoadOptions, 'file'> = options.manifests ?? {};
  if (options.registryTimeoutMs !== undefined && !(options.registryTimeoutMs > 0)) {
    throw new RangeError(
      `registryTimeoutMs must be a positive number of milliseconds, not ${options.registryTimeoutMs}`,
    );
  }
  const scratchFacts = emptyFacts();
  const knownLabels = new Map<string, Labels>(Object.entries(options.namespaceLabels ?? {}));
  // Plan ids are never reused, so a cache entry of a replaced policy set can never be hit again.
  let planCounter = 0;
  const nextPlanSerial = () => planCounter++;

  const compile = (documents: readonly PolicyDocument[]) => {
    const result = compilePolicies(documents, catalog.rules, { now: clock.now() });
    if (!result.ok) return result;
    const serving: Serving = {
      set: result.set,
      preparer: new PlanPreparer(nextPlanSerial),
      warnings: result.warnings,
      // Expiry warnings are true at load time only; reports carry their own, as of each evaluation.
      reportWarnings: result.warnings.filter((d) => !isExpiryWarning(d)),
    };
    return { ok: true as const, serving };
  };

  const initial = compile(options.policies);
  if (!initial.ok) throw new PullguardAggregateError('the policies do not compile', initial.errors);
  let serving = initial.serving;

  /**
   * The one evaluation every entry point runs: the input loaded by `load` (bad input becomes load
   * errors; a throw, e.g. a stack overflow, becomes a rejection) against the plans serving now.
   */
  const evaluate = (load: () => LoadedManifests, evaluateOptions: EvaluateOptions): Promise<Report> => {
    const current = serving;
    let loaded: LoadedManifests;
    try {
      loaded = load();
    } catch (error) {
      return Promise.reject(error);
    }
    const fromInput =
      loaded.namespaces.length === 0
        ? undefined
        : new Map(loaded.namespaces.map((ns) => [ns.name, ns.labels] as const));
    const given = evaluateOptions.namespaceLabels;
    return evaluateManifests(loaded, {
      set: current.set,
      preparer: current.preparer,
      compileWarnings: current.reportWarnings,
      cache,
      now: clock.now(),
      admitted: evaluateOptions.admitted ?? false,
      defaultNamespace: evaluateOptions.namespace ?? defaultNamespace,
      // Most specific first: labels given with this call, Namespace objects in the input, then those known to the engine.
      labelsFor: (namespace) =>
        (given !== undefined && Object.hasOwn(given, namespace) ? given[namespace] : undefined) ??
        fromInput?.get(namespace) ??
        knownLabels.get(namespace) ??
        null,
      ruleTimeoutMs,
      resolver: options.resolver,
      registrySignal: evaluateOptions.signal,
      registryTimeoutMs: options.registryTimeoutMs,
      scratchFacts,
    });
  };

  return {
    evaluateText: (text: string, textOptions: EvaluateTextOptions = {}) =>
      evaluate(
        () =>
          loadManifests(
            text,
            textOptions.file === undefined ? manifestOptions : { ...manifestOptions, file: textOptions.file },
          ),
        textOptions,
      ),
    evaluateObject: (object: Readonly<Record<string, unknown>>, evaluateOptions: EvaluateOptions = {}) =>
      evaluate(() => loadManifestObjects(object, manifestOptions), evaluateOptions),
    evaluateObjects: (objects: readonly unknown[], evaluateOptions: EvaluateOptions = {}) =>
      evaluate(() => loadManifestObjects(objects, manifestOptions), evaluateOptions),
    evaluateLoaded: (loaded: LoadedManifests, evaluateOptions: EvaluateOptions = {}) =>
      evaluate(() => loaded, evaluateOptions),

    explain(namespace: string, labels?: Labels) {
      return serving.set.explain(namespace, labels ?? knownLabels.get(namespace), clock.now());
    },

    reload(policies: readonly PolicyDocument[]): ReloadResult {
      const next = compile(policies);
      if (!next.ok) return { ok: false, fingerprint: serving.set.fingerprint, errors: next.errors };
      serving = next.serving;
      // Plan ids are never reused, so no entry of the replaced set can be hit again: free them now
      // rather than let them age out (they would keep the heap large and every collection slow).
      cache?.clear();
      return { ok: true, fingerprint: serving.set.fingerprint, warnings: serving.warnings };
    },

    get fingerprint() {
      return serving.set.fingerprint;
    },

    policies: () => serving.set.summaries(),
    rules: () => [...catalog.summaries],
    warnings: () => [...serving.warnings],
    cacheStats(): CacheStats {
      return cache?.stats() ?? { hits: 0, misses: 0, size: 0, max: 0 };
    },
    setNamespaceLabels(namespace: string, labels: Labels | undefined) {
      if (labels === undefined) knownLabels.delete(namespace);
      else knownLabels.set(namespace, { ...labels });
    },
    runsPods: (apiVersion: string, kind: string) => runsPods(apiVersion, kind, manifestOptions.podSpecPaths),
  };
}

/** Exemptions expiring or expired, as the compiler saw them at load time. */
function isExpiryWarning(diagnostic: Diagnostic): boolean {
  return (
    diagnostic.severity === 'warning' &&
    (diagnostic.code === 'EXEMPTION_EXPIRING' || diagnostic.code === 'POLICY_BAD_EXEMPTION')
  );
}
