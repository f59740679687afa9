/**
 * Sentences shared by the built-in rules, so that every message names the image the way a person
 * wrote it and says what Kubernetes will do with it.
 */
import type { Facts } from '../rule-contract.js';
import type { PullPolicy } from '../types.js';

/** The docker CLI's short form (`nginx:1.25`), or the raw string when it does not parse. */
export function imageLabel(facts: Facts): string {
  return facts.image.familiar ?? facts.image.raw;
}

/** Image volumes (KEP-4639) call the field `pullPolicy`; containers call it `imagePullPolicy`. */
export function pullPolicyField(facts: Facts): 'imagePullPolicy' | 'pullPolicy' {
  return facts.container.type === 'volume' ? 'pullPolicy' : 'imagePullPolicy';
}

/**
 * True when Kubernetes runs the image as `:latest`: the tag is `latest`, or there is neither tag
 * nor digest (`ParseImageName` in kubernetes pkg/util/parsers/parsers.go, v1.33, adds `latest`).
 */
export function runsAsLatest(facts: Facts): boolean {
  return facts.image.tag === 'latest' || (facts.image.tag === null && facts.image.digest === null);
}

/**
 * The policy the API server fills in when the field is empty: `Always` for `:latest` (explicit or
 * implied), else `IfNotPresent` (`SetDefaults_Container` in kubernetes pkg/apis/core/v1/defaults.go, v1.33).
 */
export function defaultPullPolicy(facts: Facts): PullPolicy {
  return runsAsLatest(facts) ? 'Always' : 'IfNotPresent';
}

/** Every description, built once: messages are made per violating image. */
const DESCRIPTIONS = {
  explicit: describeEach((p) => `${p} (set explicitly)`),
  latest: describeEach((p) => `${p} (the API server's default for an image that runs as :latest)`),
  other: describeEach((p) => `${p} (the API server's default for an image that is not :latest)`),
};

function describeEach(describe: (policy: PullPolicy) => string): Readonly<Record<PullPolicy, string>> {
  return { Always: describe('Always'), IfNotPresent: describe('IfNotPresent'), Never: describe('Never') };
}

/** `IfNotPresent (set explicitly)` / `Always (the API server's default for an image that runs as :latest)`. */
export function describeEffectivePolicy(facts: Facts): string {
  const { effective, explicit } = facts.pullPolicy;
  const table = explicit
    ? DESCRIPTIONS.explicit
    : runsAsLatest(facts)
      ? DESCRIPTIONS.latest
      : DESCRIPTIONS.other;
  return table[effective];
}

/** What kubelet does with a cached copy under each policy, for messages. */
export function kubeletBehaviour(policy: PullPolicy): string {
  switch (policy) {
    case 'Always':
      return 'kubelet asks the registry on every container start';
    case 'IfNotPresent':
      return 'kubelet pulls only when the node has no copy and otherwise runs the cached one';
    case 'Never':
      return 'kubelet never pulls and fails the container with ErrImageNeverPull on nodes without a copy';
  }
}

/**
 * The policy a fix should set when a rule rejects the current one: `Always` for images that are not
 * pinned by digest (a moved tag is then picked up), `IfNotPresent` for digests (content cannot change).
 */
export function safePullPolicy(facts: Facts): PullPolicy {
  return facts.image.digest === null ? 'Always' : 'IfNotPresent';
}

/** `a, b, c and 3 more`: option lists in messages stay readable. */
export function listSome(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
