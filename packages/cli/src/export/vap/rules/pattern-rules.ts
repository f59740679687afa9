/**
 * The rules that match images against pattern lists (allowed-registries, denied-registries,
 * restrict-never, private-images), over the normalized name with its host lowercased.
 */
import { anyOf, not, strList } from '../cel.js';
import { type NameTarget, type PatternSet, patternSet, refTarget } from '../image-patterns.js';
import { isUnexported, preparedOptions, type Translator } from './translator.js';

const LIST_MAX = 5;
const listed = (sources: readonly string[]) =>
  sources.length <= LIST_MAX
    ? sources.join(', ')
    : `${sources.slice(0, LIST_MAX).join(', ')} and ${sources.length - LIST_MAX} more`;

function patternsOf(rule: Parameters<Translator>[0]): PatternSet | { unexported: string } {
  const options = preparedOptions<{ sources: string[] }>(rule, { sources: 'string[]' });
  return isUnexported(options) ? options : patternSet(options.sources);
}

/** allowed-registries: a valid reference whose name matches none of the patterns. */
export const allowedRegistries: Translator = (rule) => {
  const set = patternsOf(rule);
  if (isUnexported(set)) return set;
  return {
    validation: {
      violation: (r) => `${r}.valid && ${not(set.matches(refTarget(r, 'lname')))}`,
      message: `images must come from an allowed registry (${listed(set.sources)})`,
      hostWildcards: set.hostWildcards,
    },
  };
};

/** Docker Hub's registry under its other names (normalize.go v0.6.0 legacyDefaultDomain; the registry API host). */
const DOCKER_HUB = ['docker.io', 'index.docker.io', 'registry-1.docker.io'];

/**
 * The name of a valid reference with its registry named canonically: without an explicit `:443`,
 * and Docker Hub as `docker.io` (with `library/` for official images, as normalize.go adds it);
 * and the host parts of that name, for patterns with host wildcards.
 */
function aliasTarget(r: string): NameTarget {
  const host = `${r}.domain.lowerAscii()`;
  const bare = `(${host}.endsWith(':443') ? ${host}.substring(0, ${host}.size() - 4) : ${host})`;
  const hub = `${bare} in ${strList(DOCKER_HUB)}`;
  const hubParts = `(${r}.hostname in ${strList(DOCKER_HUB)} && (!${r}.hasPort || ${r}.port == '443'))`;
  const officialPath = `(${r}.path.contains('/') ? ${r}.path : 'library/' + ${r}.path)`;
  return {
    name: `(${r}.domain == '' ? ${r}.lname : ${hub} ? 'docker.io/' + ${officialPath} : ${bare} + '/' + ${r}.path)`,
    hostname: `(${hubParts} ? 'docker.io' : ${r}.hostname)`,
    hasPort: `(${r}.hasPort && ${r}.port != '443')`,
    port: `(${r}.hasPort && ${r}.port != '443' ? ${r}.port : '')`,
    hpath: `(${hubParts} ? '/' + ${officialPath} : ${r}.hpath)`,
  };
}

/**
 * denied-registries: a valid reference whose name matches a pattern, also when it names the
 * registry another way (an explicit `:443`; `index.docker.io`, `registry-1.docker.io` or
 * `docker.io:443` for Docker Hub): a denylist that `docker.io:443/…` could walk around would deny
 * nothing. Allowlists stay exact (a name they do not list is refused anyway).
 */
export const deniedRegistries: Translator = (rule) => {
  const options = preparedOptions<{ sources: string[] }>(rule, { sources: 'string[]' });
  if (isUnexported(options)) return options;
  const set = patternSet(options.sources);
  return {
    validation: {
      violation: (r) =>
        `${r}.valid && ${anyOf([set.matches(refTarget(r, 'lname')), set.matches(aliasTarget(r))])}`,
      message: `images must not come from a denied registry (${listed(set.sources)})`,
      hostWildcards: set.hostWildcards,
    },
  };
};

/** restrict-never: pulled with Never, and not one of the pre-loaded images. */
export const restrictNever: Translator = (rule) => {
  const set = patternsOf(rule);
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
  const set = patternSet(options.sources);
  const alwaysNeeded = options.sharedNodes && !options.kubeletVerifiesCachedCredentials;
  return {
    validation: {
      violation: (r) =>
        `${r}.valid && ${set.matches(refTarget(r, 'lname'))} && ${anyOf([
          'variables.pullSecrets == 0',
          alwaysNeeded ? `${r}.effective != 'Always'` : 'false',
        ])}`,
      message: `private images (${listed(set.sources)}) need imagePullSecrets${alwaysNeeded ? ' and, on shared nodes, imagePullPolicy: Always' : ''}`,
      hostWildcards: set.hostWildcards,
      pullSecrets: true,
    },
  };
};
