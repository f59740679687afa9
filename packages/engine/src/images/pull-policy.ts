import { type ImageReference, PULL_POLICIES, type PullPolicy, type PullPolicyDecision } from '../types.js';
import { type ImageReferenceResult, tryParseImageReference } from './image-reference.js';

/**
 * What kubelet will do for an image, decided as the API server does when it stores the object:
 *
 * - kubernetes pkg/apis/core/v1/defaults.go `SetDefaults_Container`: when `imagePullPolicy` is
 *   empty, parse the image with pkg/util/parsers/parsers.go `ParseImageName` (ignoring a parse
 *   error) and pick `Always` if the tag is `latest`, else `IfNotPresent`. `ParseImageName` reports
 *   the tag `latest` only when the reference has neither tag nor digest, or literally says `:latest`
 *   (`nginx:latest@sha256:…` is still `Always`; `nginx@sha256:…` is `IfNotPresent`). An image that
 *   does not parse has no tag, so it defaults to `IfNotPresent` (kubelet later fails the pull with
 *   InvalidImageName).
 * - The same file's `SetDefaults_Volume` applies the identical rule to an image volume's
 *   `image.pullPolicy` (ImageVolumeSource), so this one function serves both fields.
 * - Go zero values: an empty string is "unset", exactly as a missing field.
 */
export interface PullPolicyInput {
  /** The image (container `image`, or image volume `image.reference`) exactly as written. */
  image: string;
  /** The declared value, if any (container `imagePullPolicy` or image volume `pullPolicy`). */
  imagePullPolicy?: string | undefined;
  /** Which field the value comes from, for the wording of `reason`. Default `imagePullPolicy`. */
  field?: 'imagePullPolicy' | 'pullPolicy' | undefined;
  /** `image` already parsed (`tryParseImageReference`): a caller that has it saves a lookup. */
  parsed?: ImageReferenceResult | undefined;
}

export function effectivePullPolicy({
  image,
  imagePullPolicy,
  field = 'imagePullPolicy',
  parsed,
}: PullPolicyInput): PullPolicyDecision {
  if (imagePullPolicy === undefined || imagePullPolicy === '') return defaultPullPolicy(image, field, parsed);
  if (isPullPolicy(imagePullPolicy)) {
    return { policy: imagePullPolicy, explicit: true, reason: `set explicitly to ${imagePullPolicy}` };
  }
  // The API server rejects the object (validation: "Unsupported value"), so nothing is pulled as
  // written. Rules still need a policy to reason about: we evaluate the object as if the field were
  // unset, i.e. what the API server would default to once the bad value is removed. That is derived
  // from Kubernetes semantics instead of guessing what a typo meant (`always`? `IfNotPresnt`?), and
  // rules that care about the bad value see `invalidDeclared`.
  const fallback = defaultPullPolicy(image, field, parsed);
  return {
    policy: fallback.policy,
    explicit: true,
    invalidDeclared: imagePullPolicy,
    reason:
      `${field} ${JSON.stringify(imagePullPolicy)} is not one of ${PULL_POLICIES.join(', ')}: the API server ` +
      `rejects the object; evaluated as if unset (${fallback.reason})`,
  };
}

/** The default the API server writes when the field is unset (SetDefaults_Container / SetDefaults_Volume). */
function defaultPullPolicy(
  image: string,
  field: string,
  given: ImageReferenceResult | undefined,
): PullPolicyDecision {
  const parsed = given ?? tryParseImageReference(image);
  if (!parsed.ok) {
    return {
      policy: 'IfNotPresent',
      explicit: false,
      reason: `the image does not parse, which the API server ignores when defaulting: ${field} defaults to IfNotPresent`,
    };
  }
  const { tag, digest } = parsed.reference;
  if (tag === undefined && digest === undefined) {
    return {
      policy: 'Always',
      explicit: false,
      reason: `no tag and no digest: Kubernetes treats it as :latest and defaults ${field} to Always`,
    };
  }
  if (tag === 'latest') {
    const despite = digest === undefined ? '' : ' (even with a digest)';
    return {
      policy: 'Always',
      explicit: false,
      reason: `tag "latest"${despite}: the API server defaults ${field} to Always`,
    };
  }
  if (tag === undefined) {
    return {
      policy: 'IfNotPresent',
      explicit: false,
      reason: `pinned by digest: ${field} defaults to IfNotPresent`,
    };
  }
  return {
    policy: 'IfNotPresent',
    explicit: false,
    reason: `tag "${tag}": the API server defaults ${field} to IfNotPresent`,
  };
}

export function isPullPolicy(value: unknown): value is PullPolicy {
  return typeof value === 'string' && (PULL_POLICIES as readonly string[]).includes(value);
}

/**
 * A reference is mutable when it has no digest: what a tag (or the implied `latest`) points to can
 * change between pulls. A tag next to a digest does not matter: the runtime pulls by digest.
 */
export function isMutableReference(reference: ImageReference): boolean {
  return reference.digest === undefined;
}
