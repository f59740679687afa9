/**
 * The compiled policy set: per-namespace plans resolved through the ScopeIndex and memoized in a
 * bounded LRU (namespaces are unbounded), keyed on the namespace and only the labels selectors read
 * (docs/performance-invariants.md#bounded-memos).
 */
import type {
  ExemptionSpec,
  NamespaceExplanation,
  PolicyDocument,
  PolicySummary,
  RegistryErrorMode,
} from '../engine-api.js';
import type { Diagnostic } from '../errors.js';
import { LruMap } from '../lru-map.js';
import type {
  CompiledExemption,
  CompiledPolicySet,
  CompiledPolicyView,
  CompiledRule,
  NamespacePlan,
} from './compiled-policy.js';
import { explainNamespace } from './explain.js';
import { type Labels, namespaceLabels } from './label-selector.js';
import { judgeScope, type PolicyScope, ScopeIndex } from './policy-scope.js';

/** One policy, compiled: its scope and its rule instances (own and inherited). */
export interface CompiledPolicy {
  document: PolicyDocument;
  scope: PolicyScope;
  rules: readonly CompiledRule[];
  /** What a registry error means for its rules: its own `onRegistryError`, else inherited, else `deny`. */
  onRegistryError: RegistryErrorMode;
  /** Its own exemptions and those of the policies it extends. */
  exemptions: readonly PolicyExemption[];
  /** `rules.length` and `exemptions.length`, without building the rule instances. */
  counts(): { rules: number; exemptions: number };
}

export interface PolicyExemption {
  exemption: CompiledExemption;
  spec: ExemptionSpec;
  /** The policy the exemption is written in. */
  writtenIn: PolicyDocument;
  /** Hash of the exemption as written (without its location). */
  hash: string;
}

export class PolicySet implements CompiledPolicySet {
  readonly fingerprint: string;
  readonly warnings: readonly Diagnostic[];
  readonly #policies: readonly CompiledPolicy[];
  readonly #index: ScopeIndex;
  readonly #plans: LruMap<string, NamespacePlan>;
  /** Label keys any selector reads: plans are memoized on these labels only. */
  readonly #selectorKeys: ReadonlySet<string>;
  readonly #expiries: readonly number[];

  /** `exemptions`: every exemption as written (each once, whatever inherits it). */
  constructor(
    fingerprint: string,
    policies: readonly CompiledPolicy[],
    exemptions: readonly PolicyExemption[],
    warnings: readonly Diagnostic[],
    cacheSize: number,
  ) {
    this.fingerprint = fingerprint;
    this.warnings = warnings;
    this.#policies = policies;
    this.#index = new ScopeIndex(policies.map((p) => p.scope));
    this.#plans = new LruMap(Math.max(1, cacheSize));
    const keys = new Set<string>();
    for (const { document } of policies) {
      for (const key of Object.keys(document.namespaceSelector?.matchLabels ?? {})) keys.add(key);
      for (const expression of document.namespaceSelector?.matchExpressions ?? []) keys.add(expression.key);
    }
    this.#selectorKeys = keys;
    const expiries = new Set<number>();
    for (const { exemption } of exemptions) {
      if (exemption.expiresAt !== undefined) expiries.add(exemption.expiresAt);
    }
    this.#expiries = [...expiries].sort((a, b) => a - b);
  }

  planFor(namespace: string, labels: Labels | undefined): NamespacePlan {
    const memoKey = this.#memoKey(namespace, labels);
    const cached = this.#plans.get(memoKey);
    if (cached) return cached;
    const rules: CompiledRule[] = [];
    const known = labels === undefined ? undefined : namespaceLabels(namespace, labels);
    for (const { scope } of this.#index.candidates(namespace, known)) {
      if (judgeScope(scope, namespace, known).applies)
        rules.push(...(this.#policies[scope.index] as CompiledPolicy).rules);
    }
    const plan: NamespacePlan = {
      namespace,
      labelsKnown: labels !== undefined,
      rules,
      // Rule keys are hashes already: joined, they identify the plan without hashing again.
      key: `${this.fingerprint}/${rules.map((rule) => rule.key).join('/')}`,
    };
    this.#plans.set(memoKey, plan);
    return plan;
  }

  explain(namespace: string, labels: Labels | undefined, now: number): NamespaceExplanation {
    const known = labels === undefined ? undefined : namespaceLabels(namespace, labels);
    return explainNamespace(this.#policies, this.#index, namespace, known, now);
  }

  summaries(): PolicySummary[] {
    return this.#policies.map((policy) => {
      const { document } = policy;
      return {
        name: document.name,
        file: document.file,
        namespaces: document.namespaces,
        excludeNamespaces: document.excludeNamespaces,
        namespaceSelector: document.namespaceSelector,
        extends: document.extends,
        ...policy.counts(),
      };
    });
  }

  policies(): readonly CompiledPolicyView[] {
    return this.#policies.map(({ document, rules, exemptions }) => ({
      document,
      rules,
      exemptions: exemptions.map(({ spec }) => spec),
    }));
  }

  nextExpiry(now: number): number | undefined {
    // Binary search for the first expiry strictly after `now`.
    let low = 0;
    let high = this.#expiries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#expiries[middle] as number) <= now) low = middle + 1;
      else high = middle;
    }
    return this.#expiries[low];
  }

  #memoKey(namespace: string, labels: Labels | undefined): string {
    if (labels === undefined) return `?${namespace}`;
    if (this.#selectorKeys.size === 0) return `!${namespace}`;
    // Walk the namespace's few labels, not the (possibly many) keys that selectors read.
    const relevant = Object.keys(labels)
      .filter((key) => this.#selectorKeys.has(key))
      .sort()
      .map((key) => [key, labels[key]]);
    return `!${namespace}\u0000${JSON.stringify(relevant)}`;
  }
}
