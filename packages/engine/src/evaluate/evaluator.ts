/**
 * Evaluation of loaded manifests against compiled plans: per image, look the plan's deterministic
 * results up in the cache (or run the rules and store them), run the non-deterministic rules, then
 * turn violations into findings with exemptions and fixes. The hot path allocates nothing for an
 * image that passes a cached plan but its cache key.
 */
import type { LoadedManifests } from '../engine-api.js';
import { compareDiagnostics, type Diagnostic } from '../errors.js';
import type { CompiledExemption, CompiledPolicySet } from '../policy/compiled-policy.js';
import type { Facts, RuleViolation } from '../rule-contract.js';
import type { ExtractedImage, Finding, ImageFix, Report, WorkloadRef } from '../types.js';
import {
  appliedExemption,
  expiredNote,
  expiringWarning,
  isExpiringSoon,
  matchExemption,
} from './exemptions.js';
import { buildFacts, type FactsNamespace, factsNamespace, fillFacts } from './facts.js';
import { mergeFixes } from './fixes.js';
import {
  KEY_CONTAINER,
  KEY_NAMESPACE,
  KEY_POD,
  KEY_WORKLOAD,
  type PlanPreparer,
  type PreparedPlan,
  type PreparedRule,
} from './prepared-plan.js';
import type { ResultCache } from './result-cache.js';
import { CallContext, isFailure, type RuleFailure, type RuleResult, runRule } from './run-rule.js';

/** One rule's outcome for one image: its violations, or why it failed. */
export interface Hit {
  rule: PreparedRule;
  result: readonly RuleViolation[] | RuleFailure;
}

/** What the cache stores per key: the deterministic rules' violations and the image's finding parts. */
export interface CachedOutcome {
  hits: readonly Hit[];
  image: Finding['image'];
  pullPolicy: Finding['pullPolicy'];
}

export interface EvaluationSetup {
  set: CompiledPolicySet;
  preparer: PlanPreparer;
  compileWarnings: readonly Diagnostic[];
  cache: ResultCache<CachedOutcome> | undefined;
  now: number;
  admitted: boolean;
  defaultNamespace: string;
  /** A namespace's labels, or null when they are unknown. */
  labelsFor(namespace: string): Readonly<Record<string, string>> | null;
  ruleTimeoutMs: number;
  /**
   * The engine's reusable Facts for plans of built-in rules only: those run synchronously and keep
   * no reference, so one object serves every image. Plans with plugin rules get fresh Facts.
   */
  scratchFacts: Facts;
}

interface NamespaceState {
  name: string;
  labels: Readonly<Record<string, string>> | null;
  /** What facts say about the namespace (shared by the namespace's images). */
  facts: FactsNamespace;
  plan: PreparedPlan;
  /** Namespace part of cache keys, when the plan's rules read the namespace. */
  keyPart: string;
}

/** An image with something to report (or still waiting for asynchronous rules). */
interface ImageRun {
  image: ExtractedImage;
  namespace: NamespaceState;
  /** In rule order unless `unordered`; shared with the cache entry when nothing is added. */
  hits: Hit[];
  /** Set when a hit was added out of rule order (a live rule after cached ones, an async result). */
  unordered: boolean;
  /** The finding parts shared by the image's findings: from the cache, or made when first needed. */
  imageInfo: Finding['image'] | undefined;
  pullPolicy: Finding['pullPolicy'] | undefined;
  /** Set while the deterministic results may still be cached (no failure, all answered). */
  cacheKey: string | undefined;
  /** Asynchronous results still outstanding. */
  waiting: number;
}

/**
 * Not `async`: a synchronous evaluation (no rule returned a thenable) resolves one promise and
 * schedules nothing else; most admission requests and most documents (no images) take that path.
 */
export function evaluateManifests(loaded: LoadedManifests, setup: EvaluationSetup): Promise<Report> {
  try {
    if (loaded.images.length === 0) {
      return Promise.resolve(assembleReport(loaded, [], [], [...setup.compileWarnings], setup, 0, 0));
    }
    const evaluation = new Evaluation(setup);
    for (const image of loaded.images) evaluation.image(image);
    const settled = evaluation.settled();
    if (settled === undefined) return Promise.resolve(evaluation.report(loaded));
    return settled.then(() => evaluation.report(loaded));
  } catch (error) {
    return Promise.reject(error);
  }
}

class Evaluation {
  readonly #setup: EvaluationSetup;
  readonly #notAfter: number | undefined;
  // Allocated on first use: most evaluations see one namespace, wait for nothing and note nothing.
  #namespaces: Map<string, NamespaceState> | undefined;
  readonly #runs: ImageRun[] = [];
  #pending: Promise<void>[] | undefined;
  #admittedNotes: string[] | undefined;
  #hits = 0;
  #misses = 0;
  #last: NamespaceState | undefined;

  constructor(setup: EvaluationSetup) {
    this.#setup = setup;
    this.#notAfter = setup.set.nextExpiry(setup.now);
  }

  image(image: ExtractedImage): void {
    const setup = this.#setup;
    const namespace = this.#namespace(image.workload.namespace ?? setup.defaultNamespace);
    const plan = namespace.plan;
    let facts: Facts | undefined;
    let run: ImageRun | undefined;

    if (plan.cached.length > 0) {
      const cache = setup.cache;
      const key = cache === undefined ? undefined : cacheKey(cache, plan, image, namespace, setup.admitted);
      const cached = key === undefined ? undefined : cache!.get(key, setup.now);
      if (cached !== undefined) {
        this.#hits++;
        if (cached.hits.length > 0 || plan.live.length > 0) {
          run = this.#newRun(image, namespace, cached.image, cached.pullPolicy, undefined);
          // Cached hits are in rule order and read-only: share them unless live rules add more.
          run.hits = plan.live.length === 0 ? (cached.hits as Hit[]) : cached.hits.slice();
        }
      } else {
        if (key !== undefined) this.#misses++;
        facts = this.#facts(image, namespace);
        run = this.#newRun(image, namespace, undefined, undefined, key);
        for (const rule of plan.cached) this.#run(rule, facts, run);
        if (run.cacheKey !== undefined && run.waiting === 0) this.#store(run);
      }
    }
    if (plan.live.length > 0) {
      facts ??= this.#facts(image, namespace);
      run ??= this.#newRun(image, namespace, undefined, undefined, undefined);
      for (const rule of plan.live) this.#run(rule, facts, run);
    }
    if (run !== undefined && (run.hits.length > 0 || run.waiting > 0)) this.#runs.push(run);
  }

  #facts(image: ExtractedImage, namespace: NamespaceState): Facts {
    const setup = this.#setup;
    return namespace.plan.builtinOnly
      ? fillFacts(setup.scratchFacts, image, namespace.facts, setup.admitted)
      : buildFacts(image, namespace.facts, setup.admitted);
  }

  /** undefined when every rule answered synchronously. */
  settled(): Promise<void> | undefined {
    if (this.#pending === undefined) return undefined;
    return Promise.all(this.#pending).then(() => {
      for (const run of this.#runs) if (run.cacheKey !== undefined) this.#store(run);
    });
  }

  report(loaded: LoadedManifests): Report {
    const now = this.#setup.now;
    const findings: Finding[] = [];
    const mutating: Finding[] = [];
    let expiring: Set<CompiledExemption> | undefined;
    let workloadRef: WorkloadRef | undefined;
    let workload: Finding['workload'] = { apiVersion: '', kind: '', name: '' };
    for (const run of this.#runs) {
      if (run.unordered) run.hits.sort(byRuleIndex);
      // Images of one workload come together: they share its finding part.
      if (run.image.workload !== workloadRef) {
        workloadRef = run.image.workload;
        workload = { apiVersion: workloadRef.apiVersion, kind: workloadRef.kind, name: workloadRef.name };
      }
      const container = { name: run.image.container.name, type: run.image.container.type };
      run.imageInfo ??= imageInfoOf(run.image);
      run.pullPolicy ??= pullPolicyOf(run.image);
      const { imageInfo, pullPolicy } = run;
      for (const hit of run.hits) {
        const compiled = hit.rule.compiled;
        const match =
          compiled.exemptions.length === 0
            ? undefined
            : matchExemption(compiled.exemptions, run.image, run.namespace.name, now);
        if (match?.active && isExpiringSoon(match.exemption, now)) {
          expiring ??= new Set();
          expiring.add(match.exemption);
        }
        const exemption = match === undefined ? undefined : appliedExemption(match);
        const violations = isFailure(hit.result) ? [hit.result] : hit.result;
        for (const violation of violations) {
          const failed = isFailure(hit.result);
          const ruleViolation = violation as RuleViolation;
          let notes = failed ? undefined : ruleViolation.notes;
          if (match !== undefined && !match.active) notes = [...(notes ?? []), expiredNote(match.exemption)];
          const finding: Finding = {
            rule: compiled.id,
            policy: compiled.policy,
            action: compiled.action,
            status: failed ? 'error' : 'violation',
            message: violation.message,
            hint: hit.rule.definition.hint,
            namespace: run.namespace.name,
            workload,
            container,
            image: imageInfo,
            pullPolicy,
            pointer: run.image.pointer,
            location: run.image.location,
            exemption,
            fix: failed || ruleViolation.fix === undefined ? undefined : imageFix(run, hit, ruleViolation),
            notes,
          };
          findings.push(finding);
          if (compiled.mutate && finding.fix !== undefined) mutating.push(finding);
        }
      }
    }
    sortByLocation(findings);
    const warnings = this.#warnings(expiring);
    return assembleReport(
      loaded,
      findings,
      mergeFixes(mutating),
      warnings,
      this.#setup,
      this.#hits,
      this.#misses,
    );
  }

  #namespace(name: string): NamespaceState {
    const last = this.#last;
    if (last?.name === name) return last;
    if (last !== undefined && this.#namespaces === undefined) this.#namespaces = new Map([[last.name, last]]);
    let state = this.#namespaces?.get(name);
    if (state === undefined) {
      const labels = this.#setup.labelsFor(name);
      const plan = this.#setup.preparer.prepare(this.#setup.set.planFor(name, labels ?? undefined));
      if (this.#setup.admitted && plan.admittedNotes.length > 0) {
        this.#admittedNotes ??= [];
        for (const note of plan.admittedNotes)
          if (!this.#admittedNotes.includes(note)) this.#admittedNotes.push(note);
      }
      const keyPart = plan.keyParts & KEY_NAMESPACE ? `${field(name)}${labelsKey(labels)}` : '';
      state = { name, labels, facts: factsNamespace(name, labels), plan, keyPart };
      this.#namespaces?.set(name, state);
    }
    this.#last = state;
    return state;
  }

  #newRun(
    image: ExtractedImage,
    namespace: NamespaceState,
    info: Finding['image'] | undefined,
    pullPolicy: Finding['pullPolicy'] | undefined,
    cacheKey: string | undefined,
  ): ImageRun {
    return {
      image,
      namespace,
      hits: [],
      unordered: false,
      imageInfo: info,
      pullPolicy,
      cacheKey,
      waiting: 0,
    };
  }

  #run(rule: PreparedRule, facts: Facts, run: ImageRun): void {
    const setup = this.#setup;
    if (setup.admitted && rule.definition.skipWhenAdmitted !== undefined) return;
    const compiled = rule.compiled;
    rule.context ??= new CallContext(compiled.options, compiled.policy);
    const ctx = rule.context;
    ctx.enter(run.namespace.name, setup.now);
    const result = runRule(rule.definition.check, facts, ctx, compiled.id, setup.ruleTimeoutMs, rule.builtin);
    if (result instanceof Promise) {
      // The pending call owns this context (its signal may be aborted on timeout).
      rule.context = undefined;
      run.waiting++;
      this.#pending ??= [];
      this.#pending.push(
        result.then((settled) => {
          run.waiting--;
          this.#record(rule, settled, facts, run);
        }),
      );
      return;
    }
    this.#record(rule, result as RuleResult, facts, run);
  }

  #record(rule: PreparedRule, result: RuleResult, facts: Facts, run: ImageRun): void {
    if (result === undefined) return;
    if (isFailure(result)) {
      // A failure may be transient (a timeout, a service down): never cache it.
      if (rule.definition.deterministic !== false) run.cacheKey = undefined;
      this.#push(run, { rule, result });
      return;
    }
    const override = rule.override;
    const violations =
      override === undefined ? result : result.map((v) => ({ ...v, message: override.render(facts) }));
    this.#push(run, { rule, result: violations });
  }

  #push(run: ImageRun, hit: Hit): void {
    const last = run.hits[run.hits.length - 1];
    if (last !== undefined && last.rule.index > hit.rule.index) run.unordered = true;
    run.hits.push(hit);
  }

  #store(run: ImageRun): void {
    const setup = this.#setup;
    // Cached hits must be in rule order; they are shared read-only with later runs.
    if (run.unordered) {
      run.hits.sort(byRuleIndex);
      run.unordered = false;
    }
    // Without live rules nothing is added after this: share the list; otherwise copy it.
    const hits =
      run.namespace.plan.live.length === 0
        ? run.hits
        : run.hits.filter((hit) => hit.rule.definition.deterministic !== false);
    run.imageInfo ??= imageInfoOf(run.image);
    run.pullPolicy ??= pullPolicyOf(run.image);
    const outcome: CachedOutcome = { hits, image: run.imageInfo, pullPolicy: run.pullPolicy };
    setup.cache!.set(run.cacheKey!, outcome, setup.now, this.#notAfter);
    run.cacheKey = undefined;
  }

  #warnings(expiring: ReadonlySet<CompiledExemption> | undefined): Diagnostic[] {
    const warnings = [...this.#setup.compileWarnings];
    if (this.#admittedNotes === undefined && expiring === undefined) return warnings;
    for (const note of this.#admittedNotes ?? [])
      warnings.push({ code: 'RULE_SKIPPED', message: note, severity: 'warning' });
    for (const exemption of expiring ?? []) warnings.push(expiringWarning(exemption, this.#setup.now));
    return warnings.sort(compareDiagnostics);
  }
}

/**
 * The cache key: plan identity, then exactly the facts the plan's cached rules read. Image, pull
 * policy, container type and admission are always part of it (they are cheap and decide most
 * rules); container name, workload, namespace and pull secrets only when a rule reads them.
 * The image is an interned id (`ResultCache.intern`); every other variable part is
 * length-prefixed, so no image string or field value can forge another key.
 */
function cacheKey(
  cache: ResultCache<CachedOutcome>,
  plan: PreparedPlan,
  image: ExtractedImage,
  namespace: NamespaceState,
  admitted: boolean,
): string {
  const declared = image.pullPolicy.declared;
  let key = `${plan.id}${admitted ? 'A' : 'S'}${image.container.type}|${cache.intern(image.raw)}|${declared === undefined ? 'u' : field(declared)}`;
  const parts = plan.keyParts;
  if (parts === 0) return key;
  if (parts & KEY_CONTAINER) key += field(image.container.name);
  if (parts & KEY_POD) for (const secret of image.imagePullSecrets) key += field(secret);
  if (parts & KEY_WORKLOAD) key += `|${workloadKey(image.workload)}`;
  if (parts & KEY_NAMESPACE) key += `|${namespace.keyPart}`;
  return key;
}

function byRuleIndex(a: Hit, b: Hit): number {
  return a.rule.index - b.rule.index;
}

function field(value: string): string {
  return `${value.length}:${value}`;
}

const workloadKeys = new WeakMap<WorkloadRef, string>();

function workloadKey(workload: WorkloadRef): string {
  let key = workloadKeys.get(workload);
  if (key === undefined) {
    key = `${field(workload.apiVersion)}${field(workload.kind)}${field(workload.name)}${labelsKey(workload.labels)}${labelsKey(workload.annotations)}`;
    workloadKeys.set(workload, key);
  }
  return key;
}

function labelsKey(labels: Readonly<Record<string, string>> | null): string {
  if (labels === null) return 'n';
  let key = 'm';
  for (const name of Object.keys(labels).sort()) key += field(name) + field(labels[name]!);
  return `${key}.`;
}

// The image and pull-policy parts of findings are shared by every finding of the image and by its
// cache entry: frozen, so that a caller editing a report cannot change a later one.
function imageInfoOf(image: ExtractedImage): Finding['image'] {
  const ref = image.reference;
  return Object.freeze({ raw: image.raw, name: ref?.name, tag: ref?.tag, digest: ref?.digest });
}

function pullPolicyOf(image: ExtractedImage): Finding['pullPolicy'] {
  return Object.freeze({ declared: image.pullPolicy.declared, effective: image.pullPolicy.effective });
}

function imageFix(run: ImageRun, hit: Hit, violation: RuleViolation): ImageFix {
  const fieldName = run.image.container.type === 'volume' ? 'pullPolicy' : 'imagePullPolicy';
  return {
    pointer: `${run.image.containerPointer}/${fieldName}`,
    field: fieldName,
    value: violation.fix!.imagePullPolicy,
    objectIndex: run.image.objectIndex,
    location: run.image.location,
    rule: hit.rule.compiled.id,
    policy: hit.rule.compiled.policy,
    reason: violation.message,
  };
}

/**
 * Findings come out in input order, which is almost always location order already: check in one
 * pass and sort (stably, so equal locations keep rule order) only when needed.
 */
function sortByLocation(findings: Finding[]): void {
  for (let i = 1; i < findings.length; i++) {
    if (compareLocation(findings[i - 1]!, findings[i]!) > 0) {
      findings.sort(compareLocation);
      return;
    }
  }
}

function compareLocation(a: Finding, b: Finding): number {
  const la = a.location;
  const lb = b.location;
  if (la === lb || la === undefined || lb === undefined) return 0;
  const fa = la.file ?? '';
  const fb = lb.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  return la.line - lb.line || la.column - lb.column;
}

function assembleReport(
  loaded: LoadedManifests,
  findings: Finding[],
  mutations: ImageFix[],
  warnings: Diagnostic[],
  setup: EvaluationSetup,
  hits: number,
  misses: number,
): Report {
  const counts = { deny: 0, warn: 0, audit: 0, exempted: 0, errors: 0 };
  let blocking = false;
  for (const finding of findings) {
    if (finding.status === 'error') counts.errors++;
    if (finding.exemption?.status === 'active') {
      counts.exempted++;
      continue;
    }
    counts[finding.action]++;
    if (finding.action === 'deny') blocking = true;
  }
  let workloads = 0;
  for (const object of loaded.objects) if (object.workload) workloads++;
  // Load notices (a duplicate key whose last value is used) belong with the policy's warnings.
  const loadWarnings = loaded.warnings ?? [];
  return {
    verdict: blocking ? 'fail' : 'pass',
    findings,
    errors: loaded.errors,
    warnings: loadWarnings.length === 0 ? warnings : [...warnings, ...loadWarnings].sort(compareDiagnostics),
    mutations,
    policyFingerprint: setup.set.fingerprint,
    summary: {
      objects: loaded.objects.length,
      workloads,
      images: loaded.images.length,
      findings: counts,
      errors: loaded.errors.length,
      cache: { hits, misses },
    },
  };
}
