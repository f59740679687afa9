/** The built-in rules: every policy can name them; plugins add more under their own namespace. */
import type { RuleDefinition } from '../rule-contract.js';
import { allowedPullPolicies } from './allowed-pull-policies.js';
import { allowedTags } from './allowed-tags.js';
import { disallowLatest } from './disallow-latest.js';
import { expression } from './expression.js';
import { invalidImage } from './invalid-image.js';
import { mutableTagsRequireAlways } from './mutable-tags-require-always.js';
import { requireDigest } from './require-digest.js';
import { requireExplicitPullPolicy } from './require-explicit-pull-policy.js';

// biome-ignore lint/suspicious/noExplicitAny: rules with different option types
export const builtinRules: readonly RuleDefinition<any, any>[] = [
  requireDigest,
  requireExplicitPullPolicy,
  allowedPullPolicies,
  disallowLatest,
  mutableTagsRequireAlways,
  allowedTags,
  invalidImage,
  expression,
];

export { EXPRESSION_RULE } from './expression.js';
export { INVALID_IMAGE_RULE } from './invalid-image.js';
