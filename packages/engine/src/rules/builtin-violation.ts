/**
 * What built-in rules may say beyond the plugin contract's RuleViolation. Built-in outcomes reach
 * the report stage as returned (run-rule.ts `builtinResult`); plugin outcomes are copied field by
 * field into plain RuleViolations, so a plugin can neither pin an image nor set these fields.
 */
import type { RegistryFacts, RuleViolation } from '../rule-contract.js';
import type { Action, PullPolicy } from '../types.js';

export interface BuiltinViolation {
  message: string;
  fix?: { imagePullPolicy: PullPolicy } | { image: string } | undefined;
  notes?: string[] | undefined;
  /**
   * The registry could not be asked: the finding has status `error`, this host and hint, and the
   * action the policy's `onRegistryError` gives.
   */
  registryError?: { host: string; hint: string } | undefined;
  /**
   * The rule cannot be judged without the registry and no lookup was made: reported once as a
   * REGISTRY_NOT_CHECKED warning with this message, never as a finding.
   */
  notChecked?: boolean | undefined;
  /** The most severe action the finding may have, below the entry's (e.g. `warn`). */
  atMost?: Action | undefined;
}

/** A built-in rule's violation as `check` returns it (the report stage reads it back with `asBuiltin`). */
export function outcome(violation: BuiltinViolation): RuleViolation {
  return violation as RuleViolation;
}

export function asBuiltin(violation: RuleViolation): BuiltinViolation {
  return violation as BuiltinViolation;
}

/**
 * The outcome of a registry rule whose lookup gave no answer (`status` is the one the rule needs:
 * `registry.status` or `registry.tagStatus`; `question` what it wanted to know, e.g. "whether
 * nginx:1.25 exists"): a registry error, or a "not checked" notice.
 * Undefined when the registry answered (resolved or not found): the rule judges that itself.
 */
export function unanswered(
  registry: RegistryFacts,
  status: RegistryFacts['status'] | null,
  question: string,
): BuiltinViolation | undefined {
  if (status === 'error') {
    const host = registry.host ?? 'the registry';
    return {
      message: `REGISTRY_ERROR: could not check ${question}: ${host}: ${registry.failureKind ?? 'failed'}: ${registry.message ?? 'no answer'}`,
      registryError: { host, hint: registry.hint ?? '' },
    };
  }
  if (status === 'not-checked') {
    return { message: `not checked: ${question} (${registry.message})`, notChecked: true };
  }
  return undefined;
}
