/**
 * Evaluation of loaded manifests against compiled plans: per image, look it up in its registry when
 * the plan's rules read the registry, look the plan's deterministic results up in the cache (or run
 * the rules and store them), run the non-deterministic rules, then hand the flags (rule outcomes) to the report
 * stage (build-report.ts). The hot path allocates nothing for an image
 * that passes a cached plan but its cache key.
 */
import type { LoadedManifests } from '../engine-api.js';
import { createRegistryLookups } from '../registry/lookups.js';
import {
  isTransient,
  lookUpRegistryFacts,
  REGISTRY_INVALID_IMAGE,
  REGISTRY_NOT_CONSULTED,
  REGISTRY_OFFLINE,
} from '../registry/registry-facts.js';
import type { Facts, RegistryFacts } from '../rule-contract.js';
import type { ExtractedImage, Report } from '../types.js';
import { buildReport, byRuleIndex, imageInfoOf, imagelessReport, pullPolicyOf } from './build-report.js';
import { cacheKey, namespaceKey } from './cache-key.js';
import {
  type CachedOutcome,
  type EvaluationSetup,
  type EvaluationState,
  type Flag,
  type ImageRun,
  type NamespaceState,
  newEvaluationState,
  newImageRun,
  newNamespaceState,
} from './evaluation-state.js';
import { buildFacts, factsNamespace, fillFacts } from './facts.js';
import type { PreparedRule } from './prepared-plan.js';
import { CallContext, isFailure, type RuleResult, runRule } from './run-rule.js';

export type { CachedOutcome, EvaluationSetup } from './evaluation-state.js';

/**
 * Not `async`: a synchronous evaluation (no rule returned a thenable, no registry lookup) resolves
 * one promise and schedules nothing else; most admission requests and most documents (no images)
 * take that path; a failure still rejects (docs/performance-invariants.md#synchronous-evaluations).
 */
export function evaluateManifests(loaded: LoadedManifests, setup: EvaluationSetup): Promise<Report> {
  try {
    if (loaded.images.length === 0) return Promise.resolve(imagelessReport(loaded, setup));
    const state = newEvaluationState(setup);
    for (const image of loaded.images) evaluateImage(state, image);
    if (state.pending === undefined) return Promise.resolve(buildReport(state, loaded));
    return settle(state).then(() => {
      for (const run of state.runs) if (run.cacheKey !== undefined) store(state, run);
      return buildReport(state, loaded);
    });
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Waits for every pending call, including those started while waiting (rules run after a lookup). */
function settle(state: EvaluationState): Promise<void> {
  const pending = state.pending!;
  state.pending = [];
  return Promise.all(pending).then(() => (state.pending!.length > 0 ? settle(state) : undefined));
}

function evaluateImage(state: EvaluationState, image: ExtractedImage): void {
  const setup = state.setup;
  const namespace = namespaceState(state, image.workload.namespace ?? setup.defaultNamespace);
  const reference = image.reference;
  if (!namespace.plan.registry || reference === undefined || setup.resolver === undefined) {
    const registry = !namespace.plan.registry
      ? REGISTRY_NOT_CONSULTED
      : reference === undefined
        ? REGISTRY_INVALID_IMAGE
        : REGISTRY_OFFLINE;
    judgeImage(state, image, namespace, registry, undefined);
    return;
  }
  state.lookups ??= createRegistryLookups(setup.resolver, {
    signal: setup.registrySignal,
    timeoutMs: setup.registryTimeoutMs,
  });
  // The run takes its place in input order now, so findings keep their order whatever answers first.
  const run = newImageRun(image, namespace, undefined, undefined);
  run.waiting++;
  state.runs.push(run);
  state.pending ??= [];
  state.pending.push(
    lookUpRegistryFacts(reference, state.lookups).then((registry) => {
      run.waiting--;
      judgeImage(state, image, namespace, registry, run);
    }),
  );
}

/** Looks the plan's deterministic outcomes up in the cache (or runs the rules), then runs the live rules. */
function judgeImage(
  state: EvaluationState,
  image: ExtractedImage,
  namespace: NamespaceState,
  registry: RegistryFacts,
  reserved: ImageRun | undefined,
): void {
  const setup = state.setup;
  const plan = namespace.plan;
  let facts: Facts | undefined;
  let run: ImageRun | undefined;

  if (plan.cached.length > 0) {
    const cache = setup.cache;
    // A registry error may pass the next time: outcomes judged on one are never cached.
    const key =
      cache === undefined || isTransient(registry)
        ? undefined
        : cacheKey(cache, plan, image, namespace.keyPart, setup.admitted, registry);
    const cached = key === undefined ? undefined : cache!.get(key, setup.now);
    if (cached !== undefined) {
      state.cacheHits++;
      if (cached.flags.length > 0 || plan.live.length > 0) {
        run = runFor(reserved, image, namespace, cached, undefined);
        // Cached flags are in rule order and read-only: share them unless live rules add more.
        run.flags = plan.live.length === 0 ? (cached.flags as Flag[]) : cached.flags.slice();
      }
    } else {
      if (key !== undefined) state.cacheMisses++;
      facts = factsFor(state, image, namespace, registry);
      run = runFor(reserved, image, namespace, undefined, key);
      for (const rule of plan.cached) runRuleFor(state, rule, facts, run);
      if (run.cacheKey !== undefined && run.waiting === 0) store(state, run);
    }
  }
  if (plan.live.length > 0) {
    facts ??= factsFor(state, image, namespace, registry);
    run ??= runFor(reserved, image, namespace, undefined, undefined);
    for (const rule of plan.live) runRuleFor(state, rule, facts, run);
  }
  if (reserved === undefined && run !== undefined && (run.flags.length > 0 || run.waiting > 0))
    state.runs.push(run);
}

/** The image's run: the one reserved while its registry facts were looked up, else a new one. */
function runFor(
  reserved: ImageRun | undefined,
  image: ExtractedImage,
  namespace: NamespaceState,
  cached: CachedOutcome | undefined,
  cacheKey: string | number | undefined,
): ImageRun {
  if (reserved === undefined) return newImageRun(image, namespace, cached, cacheKey);
  reserved.imageInfo = cached?.image;
  reserved.pullPolicy = cached?.pullPolicy;
  reserved.cacheKey = cacheKey;
  return reserved;
}

function factsFor(
  state: EvaluationState,
  image: ExtractedImage,
  namespace: NamespaceState,
  registry: RegistryFacts,
): Facts {
  const setup = state.setup;
  return namespace.plan.builtinOnly
    ? fillFacts(setup.scratchFacts, image, namespace.facts, setup.admitted, registry)
    : buildFacts(image, namespace.facts, setup.admitted, registry);
}

function namespaceState(state: EvaluationState, name: string): NamespaceState {
  const last = state.last;
  if (last?.name === name) return last;
  if (last !== undefined && state.namespaces === undefined) state.namespaces = new Map([[last.name, last]]);
  let namespace = state.namespaces?.get(name);
  if (namespace === undefined) {
    const setup = state.setup;
    const labels = setup.labelsFor(name);
    const plan = setup.preparer.prepare(setup.set.planFor(name, labels ?? undefined));
    if (setup.admitted && plan.admittedNotes.length > 0) {
      state.admittedNotes ??= [];
      for (const note of plan.admittedNotes)
        if (!state.admittedNotes.includes(note)) state.admittedNotes.push(note);
    }
    namespace = newNamespaceState(
      name,
      labels,
      factsNamespace(name, labels),
      plan,
      namespaceKey(plan, name, labels),
    );
    state.namespaces?.set(name, namespace);
  }
  state.last = namespace;
  return namespace;
}

function runRuleFor(state: EvaluationState, rule: PreparedRule, facts: Facts, run: ImageRun): void {
  const setup = state.setup;
  if (setup.admitted && rule.definition.skipWhenAdmitted !== undefined) return;
  const compiled = rule.compiled;
  let result: RuleResult | Promise<RuleResult>;
  if (rule.isolated !== undefined) {
    // A worker-loaded plugin rule: the call runs in a plugin worker (plugins/plugin-pool.ts).
    const context = { policy: compiled.policy, namespace: run.namespace.name, now: setup.now };
    result = rule.isolated.run(facts, compiled.options, context, setup.ruleTimeoutMs);
  } else {
    rule.context ??= new CallContext(compiled.options, compiled.policy);
    const ctx = rule.context;
    ctx.enter(run.namespace.name, setup.now);
    result = runRule(rule.definition.check, facts, ctx, compiled.id, setup.ruleTimeoutMs, rule.builtin);
    // A pending call owns its context (its signal may be aborted on timeout).
    if (result instanceof Promise) rule.context = undefined;
  }
  if (result instanceof Promise) {
    run.waiting++;
    state.pending ??= [];
    state.pending.push(
      result.then((settled) => {
        run.waiting--;
        record(rule, settled, facts, run);
      }),
    );
    return;
  }
  record(rule, result, facts, run);
}

function record(rule: PreparedRule, result: RuleResult, facts: Facts, run: ImageRun): void {
  if (result === undefined) return;
  if (isFailure(result)) {
    // A failure may be transient (a timeout, a service down): never cache it.
    if (rule.definition.deterministic !== false) run.cacheKey = undefined;
    push(run, { rule, result });
    return;
  }
  const override = rule.override;
  const violations =
    override === undefined ? result : result.map((v) => ({ ...v, message: override.render(facts) }));
  push(run, { rule, result: violations });
}

function push(run: ImageRun, flag: Flag): void {
  const last = run.flags[run.flags.length - 1];
  if (last !== undefined && last.rule.index > flag.rule.index) run.unordered = true;
  run.flags.push(flag);
}

function store(state: EvaluationState, run: ImageRun): void {
  const setup = state.setup;
  // Cached flags must be in rule order; they are shared read-only with later runs.
  if (run.unordered) {
    run.flags.sort(byRuleIndex);
    run.unordered = false;
  }
  // Without live rules nothing is added after this: share the list; otherwise copy it.
  const flags =
    run.namespace.plan.live.length === 0
      ? run.flags
      : run.flags.filter((flag) => flag.rule.definition.deterministic !== false);
  run.imageInfo ??= imageInfoOf(run.image);
  run.pullPolicy ??= pullPolicyOf(run.image);
  const outcome: CachedOutcome = { flags, image: run.imageInfo, pullPolicy: run.pullPolicy };
  setup.cache!.set(run.cacheKey!, outcome, setup.now, state.notAfter);
  run.cacheKey = undefined;
}
