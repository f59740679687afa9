/**
 * What the policy compiler hands the evaluator: policies compiled once into per-namespace plans
 * (prepare once, evaluate many). Internal: pullguard's own tools that translate a compiled set
 * (`pullguard export vap`) reach it through `@pullguard/engine/internals`, never the public root;
 * evaluation and explain show it to users through the engine (NamespaceExplanation).
 */

import type {
  ExemptionSpec,
  NamespaceExplanation,
  PolicyDocument,
  PolicySummary,
  RegistryErrorMode,
  RuleEntry,
} from '../engine-api.js';
import type { Diagnostic } from '../errors.js';
import type { RuleDefinition } from '../rule-contract.js';
import type { Action, SourceLocation } from '../types.js';

export interface CompiledExemption {
  /** Rule instance ids the exemption covers (`require-digest`, `no-busybox`). */
  rules: readonly string[];
  /** The image's normalized name (or, when it does not parse, its raw string) matches `images`; true when `images` is absent. */
  matchesImage(name: string): boolean;
  /** True when `namespaces` is absent or one of its globs matches. */
  matchesNamespace(namespace: string): boolean;
  /** True when `workloads` is absent or one of its globs matches `Kind/name`. */
  matchesWorkload(kind: string, name: string): boolean;
  /**
   * End of validity in ms since epoch: the first instant at which the exemption no longer applies
   * (active while `now < expiresAt`; a date `2027-01-31` ends at 2027-02-01T00:00Z). Undefined = never expires.
   */
  expiresAt: number | undefined;
  /** As written (`2027-01-31`). */
  expires: string | undefined;
  owner: string | undefined;
  reason: string | undefined;
  location: SourceLocation | undefined;
}

/** One rule instance of one policy, with prepared options. */
export interface CompiledRule {
  /** Policy that governs the namespace (for inherited entries: the extending policy). */
  policy: string;
  /** Instance id: `id` of the entry (expression rules) or the rule id. */
  id: string;
  /** Rule definition id (`expression`, `require-digest`, `acme/no-busybox`). */
  rule: string;
  // biome-ignore lint/suspicious/noExplicitAny: options are typed by each rule definition
  definition: RuleDefinition<any, any>;
  action: Action;
  /** What a registry error means for this instance: the governing policy's `onRegistryError`. */
  onRegistryError: RegistryErrorMode;
  /** The value `prepare` returned (or the validated `with:` options). */
  options: unknown;
  mutate: boolean;
  /** Message override from the entry (`message:`), if any. */
  message: string | undefined;
  /** The policy the entry was written in, when it came through `extends`. */
  inheritedFrom: string | undefined;
  location: SourceLocation | undefined;
  /** Exemptions of `policy` that name this rule instance. */
  exemptions: readonly CompiledExemption[];
  /** Stable identity of this instance (policy, entry, options) for cache keys. */
  key: string;
  /** The entry as written (`when`, `with`…), for exporters; undefined for the always-on invalid-image instance. */
  entry: RuleEntry | undefined;
}

/**
 * One policy as compiled, for tools that translate policies into other enforcement points
 * (`pullguard export vap`): its document, the rule instances in effect and its exemptions as written.
 */
export interface CompiledPolicyView {
  document: PolicyDocument;
  /** Own and inherited (`extends`) rule instances, governed by this policy. */
  rules: readonly CompiledRule[];
  /** Its own exemptions and those of the policies it extends, as written. */
  exemptions: readonly ExemptionSpec[];
}

export interface NamespacePlan {
  namespace: string;
  /** False when the namespace's labels were unknown (selectors did not match). */
  labelsKnown: boolean;
  rules: readonly CompiledRule[];
  /**
   * Identity of this plan's rules (policy-set fingerprint + rule instance keys): plans with equal
   * keys share one prepared plan, whose serial is part of every result-cache key (evaluate/prepared-plan.ts).
   */
  key: string;
}

export interface CompiledPolicySet {
  /** Hash of what the policy documents say (not where) and of the rule catalog's rule ids. */
  fingerprint: string;
  /** Memoized per namespace and labels; must be cheap with 10,000 policies loaded. */
  planFor(namespace: string, labels: Readonly<Record<string, string>> | undefined): NamespacePlan;
  explain(
    namespace: string,
    labels: Readonly<Record<string, string>> | undefined,
    now: number,
  ): NamespaceExplanation;
  summaries(): PolicySummary[];
  /** Every policy, ordered by name (builds the rule instances of each). */
  policies(): readonly CompiledPolicyView[];
  /** Earliest exemption expiry strictly after `now` (ms), so caches never outlive it. */
  nextExpiry(now: number): number | undefined;
  warnings: readonly Diagnostic[];
}

export type CompileResult =
  | { ok: true; set: CompiledPolicySet; warnings: Diagnostic[] }
  | { ok: false; errors: Diagnostic[]; warnings: Diagnostic[] };

// biome-ignore lint/suspicious/noExplicitAny: a catalog holds rules with different option types
export type RulesById = ReadonlyMap<string, RuleDefinition<any, any>>;
