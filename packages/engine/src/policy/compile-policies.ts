/**
 * PolicyDocuments + rule registry → CompiledPolicySet: every check that needs the whole set or
 * the registry (duplicate names, extends, rule ids, options, globs, selectors, exemptions), then
 * per-namespace plans resolved through an index and memoized in a bounded LRU.
 */
import { LRUCache } from 'lru-cache';
import type { ExemptionSpec, NamespaceExplanation, PolicyDocument, PolicySummary } from '../engine-api.js';
import { compareDiagnostics, type Diagnostic } from '../errors.js';
import type { Action } from '../types.js';
import { canonicalJson, sha256 } from './canonical-json.js';
import type {
  CompiledExemption,
  CompiledPolicySet,
  CompiledRule,
  CompileResult,
  NamespacePlan,
  RuleRegistry,
} from './compiled-policy.js';
import { compileExemption, exemptionStatus } from './exemptions.js';
import { explainNamespace } from './explain.js';
import { resolveExtends } from './extends.js';
import type { Labels } from './label-selector.js';
import { policyDiagnostic } from './policy-diagnostic.js';
import { compileScope, judgeScope, type PolicyScope, ScopeIndex } from './policy-scope.js';
import { OptionValidators, type PreparedEntry, prepareEntry } from './rule-entries.js';
import { didYouMean } from './suggest.js';

export interface CompilePoliciesOptions {
  /** Current time (ms): exemptions expired or expiring within 14 days are reported as warnings. */
  now?: number | undefined;
  /** Most memoized namespace plans (default 10,000). */
  planCacheSize?: number | undefined;
}

/** One policy, compiled: its scope and its rule instances (own and inherited). */
export interface CompiledPolicy {
  document: PolicyDocument;
  scope: PolicyScope;
  rules: readonly CompiledRule[];
  /** Its own exemptions and those of the policies it extends. */
  exemptions: readonly PolicyExemption[];
}

export interface PolicyExemption {
  exemption: CompiledExemption;
  spec: ExemptionSpec;
  /** The policy the exemption is written in. */
  writtenIn: PolicyDocument;
}

export function compilePolicies(
  documents: readonly PolicyDocument[],
  registry: RuleRegistry,
  options: CompilePoliciesOptions = {},
): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const sorted = [...documents].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const byName = new Map<string, PolicyDocument>();
  for (const document of sorted) {
    const first = byName.get(document.name);
    if (first) {
      const where = first.location ? ` (${first.file ?? '<input>'}:${first.location.line})` : '';
      diagnostics.push(
        policyDiagnostic(
          document,
          'POLICY_DUPLICATE_NAME',
          'metadata.name',
          `policy "${document.name}" is already defined${where}`,
        ),
      );
    } else {
      byName.set(document.name, document);
    }
  }
  const policies = [...byName.values()];
  const lineage = resolveExtends(byName);
  diagnostics.push(...lineage.diagnostics);

  // Each written entry and exemption is prepared once, however many policies inherit it.
  const validators = new OptionValidators();
  const ownEntries = new Map<PolicyDocument, PreparedEntry[]>();
  const ownExemptions = new Map<PolicyDocument, PolicyExemption[]>();
  for (const document of policies) {
    const prepared: PreparedEntry[] = [];
    for (const entry of document.rules) {
      const result = prepareEntry(entry, document, registry, validators);
      diagnostics.push(...result.diagnostics);
      if (result.prepared) prepared.push(result.prepared);
    }
    ownEntries.set(document, prepared);
    const exemptions: PolicyExemption[] = [];
    for (const spec of document.exemptions) {
      const result = compileExemption(spec, document);
      diagnostics.push(...result.diagnostics);
      if (result.exemption) exemptions.push({ exemption: result.exemption, spec, writtenIn: document });
    }
    ownExemptions.set(document, exemptions);
  }

  /** Entries in effect: ancestors' in `extends` order (later ones override), then the policy's own. */
  const effectiveEntries = (document: PolicyDocument): PreparedEntry[] => {
    const byId = new Map<string, PreparedEntry>();
    for (const source of [...lineage.ancestors(document.name), document]) {
      for (const prepared of ownEntries.get(source) ?? []) {
        byId.delete(prepared.id);
        byId.set(prepared.id, prepared);
      }
    }
    return [...byId.values()];
  };

  // Exemptions must name rule instances their policy has (written or inherited); ids of entries
  // that failed to compile still count, so that one mistake is not reported twice.
  for (const document of policies) {
    const known = new Set<string>();
    for (const source of [...lineage.ancestors(document.name), document]) {
      for (const entry of source.rules) known.add(entry.id ?? entry.rule);
    }
    for (const spec of document.exemptions) {
      spec.rules.forEach((id, index) => {
        if (known.has(id)) return;
        diagnostics.push(
          policyDiagnostic(
            document,
            'POLICY_BAD_EXEMPTION',
            `${spec.field}.rules[${index}]`,
            `the exemption names rule "${id}", which policy "${document.name}" does not have${didYouMean(id, [...known].sort())}`,
          ),
        );
      });
    }
  }

  const scopes = policies.map((document, index) => {
    const result = compileScope(document, index);
    diagnostics.push(...result.diagnostics);
    return result.scope;
  });

  if (options.now !== undefined) diagnostics.push(...expiryWarnings(policies, ownExemptions, options.now));

  const errors = diagnostics.filter((d) => d.severity === 'error').sort(compareDiagnostics);
  const warnings = diagnostics.filter((d) => d.severity === 'warning').sort(compareDiagnostics);
  if (errors.length > 0) return { ok: false, errors, warnings };

  const registryHash = sha256(canonicalJson([...registry.keys()].sort()));
  const fingerprint = sha256(registryHash, canonicalJson(policies.map(documentData)));
  const compiled = policies.map((document, index): CompiledPolicy => {
    const exemptions = [...lineage.ancestors(document.name), document].flatMap(
      (d) => ownExemptions.get(d) ?? [],
    );
    const rules = effectiveEntries(document).map((prepared) =>
      compileRule(document, prepared, exemptions, registryHash),
    );
    return { document, scope: scopes[index] as PolicyScope, rules, exemptions };
  });
  const set = new PolicySet(fingerprint, compiled, warnings, options.planCacheSize ?? 10_000);
  return { ok: true, set, warnings };
}

function compileRule(
  policy: PolicyDocument,
  { document: origin, entry, id, definition, options }: PreparedEntry,
  exemptions: CompiledPolicy['exemptions'],
  registryHash: string,
): CompiledRule {
  // An entry keeps the action it has where it is written; a policy's `action` covers its own entries.
  const action: Action = entry.action ?? origin.declaredAction ?? definition.defaultAction ?? 'deny';
  const mine = exemptions.filter(({ exemption }) => exemption.rules.includes(id));
  const inheritedFrom = origin === policy ? undefined : origin.name;
  const identity = {
    policy: policy.name,
    id,
    rule: entry.rule,
    action,
    mutate: entry.mutate ?? false,
    message: entry.message,
    with: entry.with,
    when: entry.when,
    inheritedFrom,
    exemptions: mine.map(({ spec: { location: _l, field: _f, ...spec } }) => spec),
  };
  return {
    policy: policy.name,
    id,
    rule: entry.rule,
    definition,
    action,
    options,
    mutate: entry.mutate ?? false,
    message: entry.message,
    inheritedFrom,
    location: entry.location,
    exemptions: mine.map(({ exemption }) => exemption),
    key: sha256(registryHash, canonicalJson(identity)),
  };
}

/** The content of a document that decides outcomes (not where it is written). */
function documentData(document: PolicyDocument): unknown {
  return {
    name: document.name,
    namespaces: document.namespaces,
    excludeNamespaces: document.excludeNamespaces,
    namespaceSelector: document.namespaceSelector,
    extends: document.extends,
    action: document.action,
    declaredAction: document.declaredAction,
    rules: document.rules.map(({ location: _l, field: _f, ...entry }) => entry),
    exemptions: document.exemptions.map(({ location: _l, field: _f, ...exemption }) => exemption),
  };
}

function expiryWarnings(
  policies: readonly PolicyDocument[],
  exemptions: ReadonlyMap<PolicyDocument, readonly PolicyExemption[]>,
  now: number,
): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const document of policies) {
    for (const { exemption, spec } of exemptions.get(document) ?? []) {
      const status = exemptionStatus(exemption, now);
      if (status === 'active') continue;
      const field = `${spec.field}.expires`;
      const who = exemption.owner ? ` (owner: ${exemption.owner})` : '';
      const rules = exemption.rules.join(', ');
      warnings.push(
        status === 'expired'
          ? policyDiagnostic(
              document,
              'POLICY_BAD_EXEMPTION',
              field,
              `the exemption for ${rules} expired on ${exemption.expires}${who}: it no longer applies; remove or renew it`,
              'warning',
            )
          : policyDiagnostic(
              document,
              'EXEMPTION_EXPIRING',
              field,
              `the exemption for ${rules} expires on ${exemption.expires}${who}, in ${daysUntil(exemption.expiresAt as number, now)}`,
              'warning',
            ),
      );
    }
  }
  return warnings;
}

function daysUntil(at: number, now: number): string {
  const days = Math.ceil((at - now) / 86_400_000);
  return days === 1 ? '1 day' : `${days} days`;
}

class PolicySet implements CompiledPolicySet {
  readonly fingerprint: string;
  readonly warnings: readonly Diagnostic[];
  readonly #policies: readonly CompiledPolicy[];
  readonly #index: ScopeIndex;
  readonly #plans: LRUCache<string, NamespacePlan>;
  /** Label keys any selector reads: plans are memoized on these labels only. */
  readonly #selectorKeys: readonly string[];
  readonly #expiries: readonly number[];

  constructor(
    fingerprint: string,
    policies: readonly CompiledPolicy[],
    warnings: readonly Diagnostic[],
    cacheSize: number,
  ) {
    this.fingerprint = fingerprint;
    this.warnings = warnings;
    this.#policies = policies;
    this.#index = new ScopeIndex(policies.map((p) => p.scope));
    this.#plans = new LRUCache({ max: Math.max(1, cacheSize) });
    const keys = new Set<string>();
    for (const { document } of policies) {
      for (const key of Object.keys(document.namespaceSelector?.matchLabels ?? {})) keys.add(key);
      for (const expression of document.namespaceSelector?.matchExpressions ?? []) keys.add(expression.key);
    }
    this.#selectorKeys = [...keys].sort();
    const expiries = new Set<number>();
    for (const policy of policies) {
      for (const { exemption } of policy.exemptions) {
        if (exemption.expiresAt !== undefined) expiries.add(exemption.expiresAt);
      }
    }
    this.#expiries = [...expiries].sort((a, b) => a - b);
  }

  planFor(namespace: string, labels: Labels | undefined): NamespacePlan {
    const memoKey = this.#memoKey(namespace, labels);
    const cached = this.#plans.get(memoKey);
    if (cached) return cached;
    const rules: CompiledRule[] = [];
    for (const { scope } of this.#index.candidates(namespace)) {
      if (judgeScope(scope, namespace, labels).applies)
        rules.push(...(this.#policies[scope.index] as CompiledPolicy).rules);
    }
    const plan: NamespacePlan = {
      namespace,
      labelsKnown: labels !== undefined,
      rules,
      key: sha256(this.fingerprint, ...rules.map((rule) => rule.key)),
    };
    this.#plans.set(memoKey, plan);
    return plan;
  }

  explain(namespace: string, labels: Labels | undefined, now: number): NamespaceExplanation {
    return explainNamespace(this.#policies, this.#index, namespace, labels, now);
  }

  summaries(): PolicySummary[] {
    return this.#policies.map(({ document, rules, exemptions }) => ({
      name: document.name,
      file: document.file,
      namespaces: document.namespaces,
      excludeNamespaces: document.excludeNamespaces,
      namespaceSelector: document.namespaceSelector,
      extends: document.extends,
      rules: rules.length,
      exemptions: exemptions.length,
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
    if (this.#selectorKeys.length === 0) return `!${namespace}`;
    const relevant = this.#selectorKeys.map((key) => (Object.hasOwn(labels, key) ? labels[key] : null));
    return `!${namespace}\u0000${JSON.stringify(relevant)}`;
  }
}
