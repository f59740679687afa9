/**
 * Why a namespace is governed by what it is governed by: every policy whose `namespaces` globs
 * match it, whether excludes and the selector then let the policy apply, its rule instances
 * (with where inherited ones come from) and the exemptions that can apply in that namespace.
 */
import type { NamespaceExplanation } from '../engine-api.js';
import { exemptionStatus } from './compile-exemptions.js';
import type { Labels } from './label-selector.js';
import { judgeScope, type ScopeIndex } from './policy-scope.js';
import type { CompiledPolicy } from './policy-set.js';

export function explainNamespace(
  policies: readonly CompiledPolicy[],
  index: ScopeIndex,
  namespace: string,
  labels: Labels | undefined,
  now: number,
): NamespaceExplanation {
  return {
    namespace,
    labels: labels === undefined ? null : { ...labels },
    policies: index.candidates(namespace, labels, true).map(({ scope, glob }) => {
      const policy = policies[scope.index] as CompiledPolicy;
      const { document, rules, exemptions } = policy;
      const verdict = judgeScope(scope, namespace, labels);
      const because = [`namespace glob "${glob.source}" matches`];
      if (verdict.excludedBy)
        because.push(`excluded by excludeNamespaces glob "${verdict.excludedBy.source}"`);
      const selector = scope.selector?.text;
      if (verdict.selector === 'labels-unknown') {
        because.push(`labels unknown: namespaceSelector {${selector}} not evaluated, policy does not apply`);
      } else if (verdict.selector === 'match') {
        because.push(`namespaceSelector {${selector}} matches`);
      } else if (verdict.selector === 'no-match') {
        because.push(`namespaceSelector {${selector}} does not match the namespace's labels`);
      }
      const inherited = [
        ...new Set(rules.flatMap((rule) => (rule.inheritedFrom ? [rule.inheritedFrom] : []))),
      ];
      for (const base of inherited) {
        const count = rules.filter((rule) => rule.inheritedFrom === base).length;
        because.push(`inherits ${count} rule${count === 1 ? '' : 's'} from "${base}"`);
      }
      return {
        name: document.name,
        file: document.file,
        applies: verdict.applies,
        because,
        ...(verdict.selector === 'none' ? {} : { selector: verdict.selector }),
        ...(verdict.excludedBy ? { excludedBy: verdict.excludedBy.source } : {}),
        onRegistryError: policy.onRegistryError,
        rules: rules.map((rule) => ({
          id: rule.id,
          rule: rule.rule,
          action: rule.action,
          mutate: rule.mutate,
          ...(rule.inheritedFrom ? { inheritedFrom: rule.inheritedFrom } : {}),
        })),
        exemptions: exemptions
          .filter(({ exemption }) => exemption.matchesNamespace(namespace))
          .map(({ exemption, spec }) => ({
            rules: spec.rules,
            ...(spec.images ? { images: spec.images } : {}),
            ...(spec.namespaces ? { namespaces: spec.namespaces } : {}),
            ...(spec.workloads ? { workloads: spec.workloads } : {}),
            ...(spec.expires ? { expires: spec.expires } : {}),
            status: exemptionStatus(exemption, now),
            ...(spec.owner ? { owner: spec.owner } : {}),
            ...(spec.reason ? { reason: spec.reason } : {}),
          })),
      };
    }),
  };
}
