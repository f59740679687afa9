/** The translators of the built-in rules, by rule id. A rule without one is reported as not exported. */
import { allowedTags } from './allowed-tags.js';
import { expression } from './expression.js';
import { allowedRegistries, deniedRegistries, privateImages, restrictNever } from './pattern-rules.js';
import {
  allowedPullPolicies,
  disallowLatest,
  invalidImage,
  mutableTagsRequireAlways,
  requireDigest,
} from './reference-rules.js';
import type { Translator } from './translator.js';

export const TRANSLATORS: ReadonlyMap<string, Translator> = new Map([
  ['invalid-image', invalidImage],
  ['require-digest', requireDigest],
  ['disallow-latest', disallowLatest],
  ['allowed-pull-policies', allowedPullPolicies],
  ['mutable-tags-require-always', mutableTagsRequireAlways],
  ['allowed-registries', allowedRegistries],
  ['denied-registries', deniedRegistries],
  ['allowed-tags', allowedTags],
  ['restrict-never', restrictNever],
  ['private-images', privateImages],
  ['expression', expression],
]);
