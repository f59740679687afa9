/**
 * The `with:` list of image patterns shared by allowed-registries, denied-registries,
 * restrict-never and private-images: compiled once at policy load, matched on normalized names.
 */
import { formatFieldPath } from '../documents/field-path.js';
import {
  compileImagePatternSet,
  type ImagePatternSet,
  type PatternSpellings,
} from '../images/image-pattern-set.js';
import type { OptionProblem } from '../rule-contract.js';
import { listSome } from './describe.js';
import { stringListOption } from './options.js';

export interface PreparedPatterns {
  set: ImagePatternSet;
  /** As written, for messages. */
  sources: readonly string[];
  /** `sources` as messages show them (`a, b, c and 3 more`), built once per rule instance. */
  summary: string;
}

/** JSON Schema of a pattern list option. */
export function patternListSchema(description: string, minItems: number): Record<string, unknown> {
  return { type: 'array', minItems, items: { type: 'string', minLength: 1 }, description };
}

export interface RegistriesOptions {
  registries: string[];
}

/** `with: { registries: [...] }`, shared by allowed-registries and denied-registries. */
export function registriesOptionSchema(description: string): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['registries'],
    properties: { registries: patternListSchema(description, 1) },
  };
}

/**
 * Compiles `options[name]`; pattern problems (and warnings such as a prefix without `/`) go to
 * `report`. `spellings`: `exact` for lists whose match grants, `registry` for lists whose match
 * restricts (image-pattern.ts `PatternSpellings`).
 */
export function preparePatterns(
  options: unknown,
  name: string,
  report: (problem: OptionProblem) => void,
  spellings: PatternSpellings,
): PreparedPatterns {
  const sources = stringListOption(options, name);
  const { set, problems } = compileImagePatternSet(sources, spellings);
  for (const problem of problems) {
    report({
      message: problem.message,
      field: formatFieldPath([name, problem.index]),
      code: 'POLICY_BAD_PATTERN',
      severity: problem.severity,
    });
  }
  return { set, sources, summary: listSome(sources) };
}
