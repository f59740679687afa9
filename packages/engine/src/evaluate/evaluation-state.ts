/**
 * The state of one evaluation, shared by the per-image stage (evaluator.ts) and the report stage
 * (build-report.ts).
 *
 * Every per-evaluation record is a plain object literal made in one place, not a class instance.
 * Why: an object literal's hidden class is held by its allocation site, a class instance's (fields
 * added one by one) only by V8's weak transition tree. A memory-reducing full GC (V8's memory
 * reducer on an idle server, or `gc()`) with no evaluation running frees such classes, and every
 * optimized function that embedded one is deoptimized: the first evaluations after it ran ~2×
 * slower in bench/load/evaluation-sample.mjs (docs/performance-invariants.md#per-evaluation-records-are-object-literals).
 */
import type { Diagnostic } from '../errors.js';
import type { CompiledPolicySet } from '../policy/compiled-policy.js';
import type { RegistryLookups } from '../registry/lookups.js';
import type { RegistryResolver } from '../registry-contract.js';
import type { RuleViolation } from '../rule-contract.js';
import type { ExtractedImage, Finding } from '../types.js';
import type { FactsNamespace, ScratchFacts } from './facts.js';
import type { PlanPreparer, PreparedPlan, PreparedRule } from './prepared-plan.js';
import type { ResultCache } from './result-cache.js';
import type { RuleFailure } from './run-rule.js';

type Labels = Readonly<Record<string, string>>;

/** A rule that flagged an image: its violations, or why it failed ("hits" are cache hits only). */
export interface Flag {
  rule: PreparedRule;
  result: readonly RuleViolation[] | RuleFailure;
}

/** What the cache stores per key: the deterministic rules' violations and the image's finding parts. */
export interface CachedOutcome {
  flags: readonly Flag[];
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
  labelsFor(namespace: string): Labels | null;
  ruleTimeoutMs: number;
  /** Where images are looked up for plans that read the registry; undefined = no registry access. */
  resolver: RegistryResolver | undefined;
  /** Bounds every lookup: the caller's deadline (e.g. admission's) and a time of the engine's own. */
  registrySignal: AbortSignal | undefined;
  registryTimeoutMs: number | undefined;
  /**
   * The engine's reusable Facts for plans of built-in rules only: those run synchronously and keep
   * no reference, so one object serves every image. Plans with plugin rules get fresh Facts.
   */
  scratchFacts: ScratchFacts;
}

export interface NamespaceState {
  name: string;
  labels: Labels | null;
  /** What facts say about the namespace (shared by the namespace's images). */
  facts: FactsNamespace;
  plan: PreparedPlan;
  /** Namespace part of cache keys, when the plan's rules read the namespace. */
  keyPart: string;
}

/** An image with something to report (or still waiting for asynchronous rules). */
export interface ImageRun {
  image: ExtractedImage;
  namespace: NamespaceState;
  /** In rule order unless `unordered`; shared with the cache entry when nothing is added. */
  flags: Flag[];
  /** Set when a flag was added out of rule order (a live rule after cached ones, an async result). */
  unordered: boolean;
  /** The finding parts shared by the image's findings: from the cache, or made when first needed. */
  imageInfo: Finding['image'] | undefined;
  pullPolicy: Finding['pullPolicy'] | undefined;
  /** Set while the deterministic results may still be cached (no failure, all answered). */
  cacheKey: string | number | undefined;
  /** Asynchronous results still outstanding. */
  waiting: number;
}

export interface EvaluationState {
  readonly setup: EvaluationSetup;
  /** Cache entries made now must not outlive the next exemption expiry. */
  readonly notAfter: number | undefined;
  /** Allocated on first use: most evaluations see one namespace. */
  namespaces: Map<string, NamespaceState> | undefined;
  /** The namespace of the previous image (images of one workload come together). */
  last: NamespaceState | undefined;
  readonly runs: ImageRun[];
  /** Asynchronous rule calls still running; undefined while every rule answered synchronously. */
  pending: Promise<void>[] | undefined;
  /** `skipWhenAdmitted` notes of the plans met, when admitted input is evaluated. */
  admittedNotes: string[] | undefined;
  /** This evaluation's registry lookups (one per distinct reference), made on first use. */
  lookups: RegistryLookups | undefined;
  cacheHits: number;
  cacheMisses: number;
}

export function newEvaluationState(setup: EvaluationSetup): EvaluationState {
  return {
    setup,
    notAfter: setup.set.nextExpiry(setup.now),
    namespaces: undefined,
    last: undefined,
    runs: [],
    pending: undefined,
    admittedNotes: undefined,
    lookups: undefined,
    cacheHits: 0,
    cacheMisses: 0,
  };
}

export function newNamespaceState(
  name: string,
  labels: Labels | null,
  facts: FactsNamespace,
  plan: PreparedPlan,
  keyPart: string,
): NamespaceState {
  return { name, labels, facts, plan, keyPart };
}

export function newImageRun(
  image: ExtractedImage,
  namespace: NamespaceState,
  cached: CachedOutcome | undefined,
  cacheKey: string | number | undefined,
): ImageRun {
  return {
    image,
    namespace,
    flags: [],
    unordered: false,
    imageInfo: cached?.image,
    pullPolicy: cached?.pullPolicy,
    cacheKey,
    waiting: 0,
  };
}
