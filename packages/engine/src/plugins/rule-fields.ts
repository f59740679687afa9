/**
 * Reading a plugin rule's contract fields once. Shared by registration on the main thread (plugins
 * given as objects) and by the plugin worker (plugins loaded by specifier), so that both read the
 * same fields the same way.
 */
import type { RuleDefinition } from '../rule-contract.js';

// biome-ignore lint/suspicious/noExplicitAny: rules with different option types
export type AnyRule = RuleDefinition<any, any>;

/**
 * A frozen copy of a plugin rule's contract fields, each read once: the engine reads a definition
 * on every evaluation (`deterministic`, `skipWhenAdmitted`, `hint`, `reads`), and a getter that
 * throws or a field changed after registration must not make evaluate reject or poison the cache.
 * Throws what a getter of the rule throws; anything that is not an object is returned as it is.
 */
export function readRuleFields(rule: AnyRule): AnyRule {
  if (typeof rule !== 'object' || rule === null) return rule;
  const { reads } = rule;
  return Object.freeze({
    id: rule.id,
    description: rule.description,
    defaultAction: rule.defaultAction,
    hint: rule.hint,
    deterministic: rule.deterministic,
    skipWhenAdmitted: rule.skipWhenAdmitted,
    reads: Array.isArray(reads) ? Object.freeze([...reads]) : reads,
    options: rule.options,
    prepare: rule.prepare,
    check: rule.check,
  });
}
