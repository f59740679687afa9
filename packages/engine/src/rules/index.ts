/** The built-in rules: every policy can name them; plugins add more under their own namespace. */
import type { RuleDefinition } from '../rule-contract.js';
import { allowedPullPolicies } from './allowed-pull-policies.js';
import { allowedRegistries } from './allowed-registries.js';
import { allowedTags } from './allowed-tags.js';
import { deniedRegistries } from './denied-registries.js';
import { digestMatchesTag } from './digest-matches-tag.js';
import { disallowLatest } from './disallow-latest.js';
import { expression } from './expression.js';
import { imageExists } from './image-exists.js';
import { invalidImage } from './invalid-image.js';
import { mutableTagsRequireAlways } from './mutable-tags-require-always.js';
import { privateImages } from './private-images.js';
import { requireDigest } from './require-digest.js';
import { requireExplicitPullPolicy } from './require-explicit-pull-policy.js';
import { restrictNever } from './restrict-never.js';

// biome-ignore lint/suspicious/noExplicitAny: rules with different option types
export const builtinRules: readonly RuleDefinition<any, any>[] = [
  requireDigest,
  requireExplicitPullPolicy,
  allowedPullPolicies,
  disallowLatest,
  mutableTagsRequireAlways,
  allowedRegistries,
  deniedRegistries,
  allowedTags,
  restrictNever,
  privateImages,
  imageExists,
  digestMatchesTag,
  invalidImage,
  expression,
];

export { EXPRESSION_RULE } from './expression.js';
export { INVALID_IMAGE_RULE } from './invalid-image.js';
