/**
 * The rules that match images against pattern lists, as the engine prepares them: allowlists
 * (allowed-registries, restrict-never) over the normalized name as written, host lowercased;
 * lists that restrict (denied-registries, private-images) under every spelling of the registry.
 */
import { anyOf, not } from '../cel.js';
import { patternSet, refTarget, registryPatternSet, spelledTarget } from '../image-patterns.js';
import { isUnexported, preparedOptions, type Translator } from './translator.js';

const LIST_MAX = 5;
const listed = (sources: readonly string[]) =>
  sources.length <= LIST_MAX
    ? sources.join(', ')
    : `${sources.slice(0, LIST_MAX).join(', ')} and ${sources.length - LIST_MAX} more`;

/** The rule's patterns (its prepared `sources`) as `make` compiles them. */
function patternsOf<Patterns>(
  rule: Parameters<Translator>[0],
  make: (sources: readonly string[]) => Patterns,
): Patterns | { unexported: string } {
  const options = preparedOptions<{ sources: string[] }>(rule, { sources: 'string[]' });
  return isUnexported(options) ? options : make(options.sources);
}

/** allowed-registries: a valid reference whose name matches none of the patterns. */
export const allowedRegistries: Translator = (rule) => {
  const set = patternsOf(rule, patternSet);
  if (isUnexported(set)) return set;
  return {
    validation: {
      violation: (r) => `${r}.valid && ${not(set.matches(refTarget(r, 'lname')))}`,
      message: `images must come from an allowed registry (${listed(set.sources)})`,
      hostWildcards: set.hostWildcards,
    },
  };
};

/**
 * denied-registries: a valid reference whose name matches a pattern under any spelling of its
 * registry (an explicit `:443`, a port with leading zeros, Docker Hub's other names): a denylist
 * that `docker.io:443/…` could walk around would deny nothing. Allowlists stay exact (a name they
 * do not list is refused anyway).
 */
export const deniedRegistries: Translator = (rule) => {
  const set = patternsOf(rule, registryPatternSet);
  if (isUnexported(set)) return set;
  return {
    validation: {
      violation: (r) => `${r}.valid && ${set.matches(spelledTarget(r))}`,
      message: `images must not come from a denied registry (${listed(set.sources)})`,
      spellings: true,
    },
  };
};

/** restrict-never: pulled with Never, and not one of the pre-loaded images. */
export const restrictNever: Translator = (rule) => {
  const set = patternsOf(rule, patternSet);
  if (isUnexported(set)) return set;
  return {
    validation: {
      violation: (r) =>
        `${r}.valid && ${r}.effective == 'Never' && ${not(set.matches(refTarget(r, 'lname')))}`,
      message:
        set.sources.length === 0
          ? 'imagePullPolicy: Never is not allowed (no image is listed as pre-loaded on every node)'
          : `imagePullPolicy: Never only for the pre-loaded images (${listed(set.sources)})`,
      hostWildcards: set.hostWildcards,
    },
  };
};

/**
 * private-images: a private image needs imagePullSecrets and, on nodes shared between tenants
 * whose kubelets do not verify cached credentials (KEP-2535), imagePullPolicy: Always.
 */
export const privateImages: Translator = (rule) => {
  const options = preparedOptions<{
    sources: string[];
    sharedNodes: boolean;
    kubeletVerifiesCachedCredentials: boolean;
  }>(rule, { sources: 'string[]', sharedNodes: 'boolean', kubeletVerifiesCachedCredentials: 'boolean' });
  if (isUnexported(options)) return options;
  const set = registryPatternSet(options.sources);
  const alwaysNeeded = options.sharedNodes && !options.kubeletVerifiesCachedCredentials;
  return {
    validation: {
      violation: (r) =>
        `${r}.valid && ${set.matches(spelledTarget(r))} && ${anyOf([
          'variables.pullSecrets == 0',
          alwaysNeeded ? `${r}.effective != 'Always'` : 'false',
        ])}`,
      message: `private images (${listed(set.sources)}) need imagePullSecrets${alwaysNeeded ? ' and, on shared nodes, imagePullPolicy: Always' : ''}`,
      spellings: true,
      pullSecrets: true,
    },
  };
};
