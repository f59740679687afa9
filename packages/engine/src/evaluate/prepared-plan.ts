/**
 * What the evaluator derives from a compiled NamespacePlan, once per plan: rules in finding order,
 * the always-on invalid-image rule, message overrides compiled, deterministic rules split from the
 * others, and which facts the cache key needs.
 */
import { type IsolatedRule, isolatedRuleOf } from '../plugins/isolated-rule.js';
import type { CompiledRule, NamespacePlan } from '../policy/compiled-policy.js';
import type { FactGroup, RuleDefinition } from '../rule-contract.js';
import { EXPRESSION_RULE } from '../rules/expression.js';
import { builtinRules } from '../rules/index.js';
import { declaredReads, instanceReads } from '../rules/instance-reads.js';
import { invalidImage } from '../rules/invalid-image.js';
import { compileMessageTemplate, type MessageTemplate } from '../rules/json-logic/message-template.js';
import type { CallContext } from './run-rule.js';

/** The policy name on findings of the always-on invalid-image rule when no policy names it. */
export const BUILTIN_POLICY = 'pullguard-builtin';

export interface PreparedRule {
  compiled: CompiledRule;
  // biome-ignore lint/suspicious/noExplicitAny: any rule definition
  definition: RuleDefinition<any, any>;
  /** The entry's `message:` for rules other than `expression` (which renders its own). */
  override: MessageTemplate | undefined;
  /** Position in the plan's finding order. */
  index: number;
  /** Reused by synchronous calls; replaced when a call keeps it (asynchronous rules). */
  context: CallContext | undefined;
  /** A built-in rule: synchronous, and returns nothing or violations made by `ctx.fail`. */
  builtin: boolean;
  /** Set for a rule of a plugin loaded by loadPlugins: its calls run in a plugin worker. */
  isolated: IsolatedRule | undefined;
}

/** Fact groups that are not always part of the cache key, as bits. */
export const KEY_CONTAINER = 1;
export const KEY_WORKLOAD = 2;
export const KEY_NAMESPACE = 4;
export const KEY_POD = 8;
export const KEY_REGISTRY = 16;

export interface PreparedPlan {
  /** Identity of the plan in cache keys (one per distinct plan key, never reused in an engine). */
  serial: number;
  rules: readonly PreparedRule[];
  /** Deterministic rules: their results are cached. */
  cached: readonly PreparedRule[];
  /** Rules that say `deterministic: false`: run on every evaluation. */
  live: readonly PreparedRule[];
  /** KEY_* bits of the facts the cached rules read beyond image, pull policy, container type and admitted. */
  keyParts: number;
  /**
   * A rule declares that it reads the registry (`reads` naming `registry`, an expression naming
   * `registry.…`): images are looked up before the plan's rules run. A rule that declares no
   * `reads` (it reads everything) does not make lookups happen by itself.
   */
  registry: boolean;
  /** `skipWhenAdmitted` notes of the plan's rules, reported once when admitted input is evaluated. */
  admittedNotes: readonly string[];
  /** Every rule is a built-in (synchronous, keeps no reference to the facts it is given). */
  builtinOnly: boolean;
}

const INVALID_IMAGE_INSTANCE: CompiledRule = {
  policy: BUILTIN_POLICY,
  id: invalidImage.id,
  rule: invalidImage.id,
  definition: invalidImage,
  action: 'deny',
  onRegistryError: 'deny',
  options: undefined,
  mutate: false,
  message: undefined,
  inheritedFrom: undefined,
  location: undefined,
  exemptions: [],
  key: `${BUILTIN_POLICY}/${invalidImage.id}`,
  entry: undefined,
};

/**
 * Prepares each distinct plan once: by identity (the compiled set memoizes a plan per namespace),
 * then by key, so namespaces governed by the same rule instances share one prepared plan and
 * one set of cache entries (docs/performance-invariants.md#plan-serials).
 */
export class PlanPreparer {
  readonly #byPlan = new WeakMap<NamespacePlan, PreparedPlan>();
  readonly #byKey = new Map<string, PreparedPlan>();
  readonly #nextSerial: () => number;

  constructor(nextSerial: () => number) {
    this.#nextSerial = nextSerial;
  }

  prepare(plan: NamespacePlan): PreparedPlan {
    let prepared = this.#byPlan.get(plan);
    if (prepared === undefined) {
      prepared = this.#byKey.get(plan.key);
      if (prepared === undefined) {
        prepared = preparePlan(plan, this.#nextSerial());
        this.#byKey.set(plan.key, prepared);
      }
      this.#byPlan.set(plan, prepared);
    }
    return prepared;
  }
}

function preparePlan(plan: NamespacePlan, serial: number): PreparedPlan {
  const compiled = [...plan.rules];
  // Always on: an unparseable image is denied even where no policy names invalid-image.
  if (!compiled.some((rule) => rule.rule === invalidImage.id)) compiled.push(INVALID_IMAGE_INSTANCE);
  compiled.sort((a, b) => compare(a.id, b.id) || compare(a.policy, b.policy));
  const rules = compiled.map(
    (rule, index): PreparedRule => ({
      compiled: rule,
      definition: rule.definition,
      override:
        rule.message !== undefined && rule.rule !== EXPRESSION_RULE
          ? lenientTemplate(rule.message)
          : undefined,
      index,
      context: undefined,
      builtin: builtinRules.includes(rule.definition),
      isolated: isolatedRuleOf(rule.definition.check),
    }),
  );
  const registry = rules.some((rule) =>
    [
      ...(declaredReads(rule.definition, rule.compiled.options) ?? []),
      ...(rule.override?.reads ?? []),
    ].includes('registry'),
  );
  let keyParts = 0;
  for (const rule of rules) {
    if (rule.definition.deterministic === false) continue;
    const reads: readonly FactGroup[] = [
      ...instanceReads(rule.definition, rule.compiled.options),
      ...(rule.override?.reads ?? []),
    ];
    for (const group of reads) keyParts |= KEY_BITS[group];
  }
  // Without lookups every image has the same registry facts: nothing to key on.
  if (!registry) keyParts &= ~KEY_REGISTRY;
  const notes = new Set<string>();
  for (const rule of rules) if (rule.definition.skipWhenAdmitted) notes.add(rule.definition.skipWhenAdmitted);
  return {
    serial,
    rules,
    cached: rules.filter((rule) => rule.definition.deterministic !== false),
    live: rules.filter((rule) => rule.definition.deterministic === false),
    keyParts,
    registry,
    admittedNotes: [...notes],
    builtinOnly: rules.every((rule) => rule.builtin),
  };
}

const KEY_BITS: Readonly<Record<FactGroup, number>> = {
  image: 0,
  pullPolicy: 0,
  admitted: 0,
  container: KEY_CONTAINER,
  workload: KEY_WORKLOAD,
  namespace: KEY_NAMESPACE,
  pod: KEY_POD,
  registry: KEY_REGISTRY,
};

/**
 * A built-in rule's `message:` override with placeholders. A placeholder that names no fact stays
 * as written (the expression rule, whose message is part of its definition, rejects it at load).
 */
function lenientTemplate(text: string): MessageTemplate {
  try {
    return compileMessageTemplate(text);
  } catch {
    return { render: () => text, reads: [] };
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
