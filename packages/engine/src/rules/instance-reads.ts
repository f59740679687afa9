/**
 * Which facts one rule instance reads, for result-cache keys. A definition declares `reads` for all
 * its instances; an instance whose reads depend on its options (an `expression` rule reads what its
 * `when` names) carries them in its prepared options under INSTANCE_READS.
 */
import type { FactGroup, RuleDefinition } from '../rule-contract.js';
import { FACT_GROUPS } from './json-logic/fact-paths.js';

export const INSTANCE_READS: unique symbol = Symbol('pullguard.instanceReads');

export interface WithInstanceReads {
  /** undefined = every fact group. */
  readonly [INSTANCE_READS]: readonly FactGroup[] | undefined;
}

// biome-ignore lint/suspicious/noExplicitAny: any rule definition
type AnyRule = RuleDefinition<any, any>;

/** The groups the instance declares it reads; undefined when it declares nothing (it reads everything). */
export function declaredReads(definition: AnyRule, options: unknown): readonly FactGroup[] | undefined {
  if (typeof options === 'object' && options !== null && INSTANCE_READS in options) {
    return (options as WithInstanceReads)[INSTANCE_READS];
  }
  return definition.reads;
}

export function instanceReads(definition: AnyRule, options: unknown): readonly FactGroup[] {
  return declaredReads(definition, options) ?? FACT_GROUPS;
}
