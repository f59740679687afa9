/**
 * PolicyDocuments + rule catalog → CompiledPolicySet: every check that needs the whole set or
 * the catalog (duplicate names, extends, rule ids, options, globs, selectors, exemptions), all
 * problems collected; then one CompiledRule per (governing policy, rule instance), built when a
 * plan or an explanation first needs that policy's.
 */

import { didYouMean } from '../documents/suggest.js';
import type { PolicyDocument } from '../engine-api.js';
import { compareDiagnostics, type Diagnostic } from '../errors.js';
import { canonicalJson } from './canonical-json.js';
import { compileExemption, expiryWarning } from './compile-exemptions.js';
import type { CompileResult, RulesById } from './compiled-policy.js';
import { resolveExtends } from './extends.js';
import { policyDiagnostic } from './policy-diagnostic.js';
import { LazyCompiledPolicy, RuleInstances } from './policy-rules.js';
import { compileScope, type PolicyScope } from './policy-scope.js';
import { type PolicyExemption, PolicySet } from './policy-set.js';
import { type PreparedEntry, prepareEntry } from './rule-entries.js';
import { sha256 } from './sha256.js';

export interface CompilePoliciesOptions {
  /** Current time (ms): exemptions expired or expiring within 14 days are reported as warnings. */
  now?: number | undefined;
  /** Most memoized namespace plans (default 10,000). */
  planCacheSize?: number | undefined;
}

export function compilePolicies(
  documents: readonly PolicyDocument[],
  catalog: RulesById,
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
  const ownEntries = new Map<PolicyDocument, PreparedEntry[]>();
  const ownExemptions = new Map<PolicyDocument, PolicyExemption[]>();
  const written: PolicyExemption[] = [];
  for (const document of policies) {
    const prepared: PreparedEntry[] = [];
    for (const entry of document.rules) {
      const result = prepareEntry(entry, document, catalog);
      diagnostics.push(...result.diagnostics);
      if (result.prepared) prepared.push(result.prepared);
    }
    if (prepared.length > 0) ownEntries.set(document, prepared);
    const exemptions: PolicyExemption[] = [];
    for (const spec of document.exemptions) {
      const result = compileExemption(spec, document);
      diagnostics.push(...result.diagnostics);
      if (!result.exemption) continue;
      const { location: _l, field: _f, ...written } = spec;
      exemptions.push({
        exemption: result.exemption,
        spec,
        writtenIn: document,
        hash: sha256(canonicalJson(written)),
      });
    }
    if (exemptions.length > 0) ownExemptions.set(document, exemptions);
    written.push(...exemptions);
  }

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

  const now = options.now;
  if (now !== undefined) {
    for (const { exemption, spec, writtenIn } of written) {
      const warning = expiryWarning(exemption, spec, writtenIn, now);
      if (warning) diagnostics.push(warning);
    }
  }

  const errors = diagnostics.filter((d) => d.severity === 'error').sort(compareDiagnostics);
  const warnings = diagnostics.filter((d) => d.severity === 'warning').sort(compareDiagnostics);
  if (errors.length > 0) return { ok: false, errors, warnings };

  const catalogHash = sha256(canonicalJson([...catalog.keys()].sort()));
  const fingerprint = sha256(catalogHash, canonicalJson(policies.map(documentData)));
  // Rule instances are built per policy when first needed (most of 10,000 policies never are).
  const instances = new RuleInstances(lineage, ownEntries, ownExemptions, catalogHash);
  const compiled = policies.map(
    (document, index) => new LazyCompiledPolicy(document, scopes[index] as PolicyScope, instances),
  );
  const set = new PolicySet(fingerprint, compiled, written, warnings, options.planCacheSize ?? 10_000);
  return { ok: true, set, warnings };
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
    onRegistryError: document.onRegistryError,
    rules: document.rules.map(({ location: _l, field: _f, ...entry }) => entry),
    exemptions: document.exemptions.map(({ location: _l, field: _f, ...exemption }) => exemption),
  };
}
