/**
 * A compiled policy's rule instances and exemptions, built when first needed. A set of 10,000
 * team policies that `extends` one base would otherwise hold 10,000 copies of the base's rule
 * instances (each with its own key), though only the policies of namespaces actually evaluated
 * or explained ever use theirs; every check that can fail was done by the compiler before.
 */
import type { PolicyDocument, RegistryErrorMode } from '../engine-api.js';
import type { Action } from '../types.js';
import type { CompiledRule } from './compiled-policy.js';
import type { Lineage } from './extends.js';
import type { PolicyScope } from './policy-scope.js';
import type { CompiledPolicy, PolicyExemption } from './policy-set.js';
import type { PreparedEntry } from './rule-entries.js';
import { sha256 } from './sha256.js';

/** What every policy's instances are derived from: prepared once per written entry and exemption. */
export class RuleInstances {
  readonly #lineage: Lineage;
  /** Only policies that write entries (or exemptions) are in these maps. */
  readonly #ownEntries: ReadonlyMap<PolicyDocument, readonly PreparedEntry[]>;
  readonly #ownExemptions: ReadonlyMap<PolicyDocument, readonly PolicyExemption[]>;
  readonly #catalogHash: string;

  constructor(
    lineage: Lineage,
    ownEntries: ReadonlyMap<PolicyDocument, readonly PreparedEntry[]>,
    ownExemptions: ReadonlyMap<PolicyDocument, readonly PolicyExemption[]>,
    catalogHash: string,
  ) {
    this.#lineage = lineage;
    this.#ownEntries = ownEntries;
    this.#ownExemptions = ownExemptions;
    this.#catalogHash = catalogHash;
  }

  /** The policy's own exemptions and those of the policies it extends. */
  exemptionsOf(document: PolicyDocument): PolicyExemption[] {
    return this.#lineageOf(document).flatMap((d) => this.#ownExemptions.get(d) ?? []);
  }

  /** How many rule instances and exemptions the policy has, without building them. */
  countsOf(document: PolicyDocument): { rules: number; exemptions: number } {
    return { rules: this.#effectiveEntries(document).length, exemptions: this.exemptionsOf(document).length };
  }

  /** One instance per entry in effect, governed by `document`. */
  rulesOf(document: PolicyDocument, exemptions: readonly PolicyExemption[]): CompiledRule[] {
    const onRegistryError = this.onRegistryErrorOf(document);
    return this.#effectiveEntries(document).map((prepared) =>
      compileRule(document, prepared, exemptions, this.#catalogHash, onRegistryError),
    );
  }

  /**
   * The policy's own `onRegistryError`, else the one of the policies it extends (later in `extends`
   * order wins, as for entries), else `deny`: a registry that cannot be asked fails closed.
   */
  onRegistryErrorOf(document: PolicyDocument): RegistryErrorMode {
    let mode: RegistryErrorMode = 'deny';
    for (const source of this.#lineageOf(document)) mode = source.onRegistryError ?? mode;
    return mode;
  }

  /** Entries in effect: ancestors' in `extends` order (later ones override), then the policy's own. */
  #effectiveEntries(document: PolicyDocument): PreparedEntry[] {
    const byId = new Map<string, PreparedEntry>();
    for (const source of this.#lineageOf(document)) {
      for (const prepared of this.#ownEntries.get(source) ?? []) {
        byId.delete(prepared.id);
        byId.set(prepared.id, prepared);
      }
    }
    return [...byId.values()];
  }

  #lineageOf(document: PolicyDocument): PolicyDocument[] {
    return [...this.#lineage.ancestors(document.name), document];
  }
}

/** A policy of the compiled set; its rule instances and exemptions are built on first read. */
export class LazyCompiledPolicy implements CompiledPolicy {
  readonly document: PolicyDocument;
  readonly scope: PolicyScope;
  readonly #instances: RuleInstances;
  #exemptions: readonly PolicyExemption[] | undefined;
  #rules: readonly CompiledRule[] | undefined;

  constructor(document: PolicyDocument, scope: PolicyScope, instances: RuleInstances) {
    this.document = document;
    this.scope = scope;
    this.#instances = instances;
  }

  get exemptions(): readonly PolicyExemption[] {
    this.#exemptions ??= this.#instances.exemptionsOf(this.document);
    return this.#exemptions;
  }

  get rules(): readonly CompiledRule[] {
    this.#rules ??= this.#instances.rulesOf(this.document, this.exemptions);
    return this.#rules;
  }

  get onRegistryError(): RegistryErrorMode {
    return this.#instances.onRegistryErrorOf(this.document);
  }

  /** For summaries of every policy: counted, so that listing 10,000 policies builds none of them. */
  counts(): { rules: number; exemptions: number } {
    return this.#instances.countsOf(this.document);
  }
}

function compileRule(
  policy: PolicyDocument,
  { document: origin, entry, id, definition, options, hash }: PreparedEntry,
  exemptions: readonly PolicyExemption[],
  catalogHash: string,
  onRegistryError: RegistryErrorMode,
): CompiledRule {
  // An entry keeps the action it has where it is written; a policy's `action` covers its own entries.
  // Documents built by hand (not parsed) may lack `declaredAction`: their `action` is taken as written.
  const policyAction = 'declaredAction' in origin ? origin.declaredAction : origin.action;
  const action: Action = entry.action ?? policyAction ?? definition.defaultAction ?? 'deny';
  const mine = exemptions.filter(({ exemption }) => exemption.rules.includes(id));
  const inheritedFrom = origin === policy ? undefined : origin.name;
  // What decides this instance's outcomes: the entry as written, where it applies, its exemptions.
  const key = sha256(
    catalogHash,
    policy.name,
    id,
    action,
    onRegistryError,
    inheritedFrom ?? '',
    hash,
    ...mine.map((e) => e.hash),
  );
  return {
    policy: policy.name,
    id,
    rule: entry.rule,
    definition,
    action,
    onRegistryError,
    options,
    mutate: entry.mutate ?? false,
    message: entry.message,
    inheritedFrom,
    location: entry.location,
    exemptions: mine.map(({ exemption }) => exemption),
    key,
    entry,
  };
}
