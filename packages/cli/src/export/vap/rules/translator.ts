/**
 * A built-in rule, translated: a CEL condition over one image of `variables.refs` that is true when
 * the image violates the rule, as the rule's `check` decides on admitted objects. Rules read their
 * options as the engine prepared them (`CompiledRule.options`, what `prepare` returned), so
 * defaults and normalization are the engine's, never restated here.
 */
import type { CompiledRule } from '@pullguard/engine/internals';

export interface Validation {
  /** CEL over a ref variable named `r`: the image violates the rule. */
  violation(r: string): string;
  /** What the rule asks, after `<rule id>: ` in the validation's message. */
  message: string;
  /** The refs must carry the host parts (a pattern has a wildcard in its host). */
  hostWildcards?: boolean | undefined;
  /** The refs must carry the canonical spelling of the name (a `registry` pattern set). */
  spellings?: boolean | undefined;
  /** The condition reads `variables.pullSecrets`. */
  pullSecrets?: boolean | undefined;
}

export type Translation = { validation: Validation } | { unexported: string };

export type Translator = (rule: CompiledRule) => Translation;

/** The prepared options of `rule`, or a reason they cannot be read (the engine changed their shape). */
export function preparedOptions<T>(
  rule: CompiledRule,
  fields: Readonly<Record<keyof T & string, 'boolean' | 'string' | 'string[]'>>,
): T | { unexported: string } {
  const options = rule.options as Record<string, unknown> | undefined;
  for (const [field, type] of Object.entries(fields)) {
    const value = options?.[field];
    const ok =
      type === 'string[]'
        ? Array.isArray(value) && value.every((v) => typeof v === 'string')
        : typeof value === type;
    if (!ok) {
      return {
        unexported: `its prepared options have no ${type} "${field}" (pullguard export does not know this version of the rule)`,
      };
    }
  }
  return options as T;
}

export function isUnexported(value: unknown): value is { unexported: string } {
  return typeof value === 'object' && value !== null && 'unexported' in value;
}
