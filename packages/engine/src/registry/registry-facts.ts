/**
 * An image's `registry` facts: what its registry says now, asked through the run's lookups.
 *
 * - A tag (or no tag and no digest: Kubernetes runs `:latest`): the tag is resolved to the digest
 *   it names now; that is what kubelet pulls.
 * - A digest alone: the digest is proven to exist; that is what kubelet pulls.
 * - A tag and a digest: kubelet pulls the digest and ignores the tag, but the tag says what people
 *   think runs. The tag is resolved first; when it names the pinned digest, that proves the digest
 *   exists too (one lookup), otherwise the digest is looked up on its own.
 */
import type { RegistryReference, Resolution } from '../registry-contract.js';
import type { RegistryFacts, RegistryStatus } from '../rule-contract.js';
import type { ImageReference } from '../types.js';
import type { RegistryLookups } from './lookups.js';

function notChecked(message: string): RegistryFacts {
  return Object.freeze({
    status: 'not-checked',
    digest: null,
    index: null,
    stale: false,
    tagStatus: 'not-checked',
    tagDigest: null,
    host: null,
    failureKind: null,
    message,
    hint: null,
  });
}

/** Facts of plans whose rules do not read the registry: no lookup is made for them. */
export const REGISTRY_NOT_CONSULTED = notChecked('no rule that governs this image reads the registry');

/** Facts when a rule reads the registry but no registry access is configured. */
export const REGISTRY_OFFLINE = notChecked(
  'no registry access is configured (offline, or no registry resolver was given)',
);

/** Facts of an image whose reference does not parse: there is nothing to ask. */
export const REGISTRY_INVALID_IMAGE = notChecked('the image reference does not parse');

/** The tag kubelet pulls: the written one, else `latest` (kubernetes pkg/util/parsers ParseImageName, v1.33). */
export function pulledTag(reference: ImageReference): string {
  return reference.tag ?? 'latest';
}

export function tagLookup(reference: ImageReference): RegistryReference {
  return { registry: reference.domain, repository: reference.path, tag: pulledTag(reference) };
}

export async function lookUpRegistryFacts(
  reference: ImageReference,
  lookups: RegistryLookups,
): Promise<RegistryFacts> {
  const digest = reference.digest;
  if (digest === undefined) {
    const tag = await lookups.resolve(tagLookup(reference));
    return facts(tag, tag, undefined);
  }
  const byDigest = { registry: reference.domain, repository: reference.path, digest };
  if (reference.tag === undefined) return facts(await lookups.resolve(byDigest), undefined, undefined);
  const tag = await lookups.resolve(tagLookup(reference));
  // A tag that names the pinned digest proves that the digest exists.
  if (tag.ok && tag.manifest.digest === digest) return facts(tag, tag, undefined);
  return facts(await lookups.resolve(byDigest), tag, tag);
}

/**
 * `pulled` decides status, digest, index; `tag` the tag fields; the failure fields describe the
 * pulled lookup when it failed, else `other` (the tag lookup) when that failed.
 */
function facts(
  pulled: Resolution,
  tag: Resolution | undefined,
  other: Resolution | undefined,
): RegistryFacts {
  const failed = !pulled.ok ? pulled : other !== undefined && !other.ok ? other : undefined;
  return Object.freeze({
    status: statusOf(pulled),
    digest: pulled.ok ? pulled.manifest.digest : null,
    index: pulled.ok ? pulled.manifest.index : null,
    stale: (pulled.ok && pulled.manifest.stale) || (tag?.ok === true && tag.manifest.stale),
    tagStatus: tag === undefined ? null : statusOf(tag),
    tagDigest: tag?.ok ? tag.manifest.digest : null,
    host: failed?.failure.host ?? null,
    failureKind: failed?.failure.kind ?? null,
    message: failed?.failure.message ?? null,
    hint: failed?.failure.hint ?? null,
  });
}

function statusOf(resolution: Resolution): RegistryStatus {
  if (resolution.ok) return 'resolved';
  return resolution.failure.kind === 'not-found' ? 'not-found' : 'error';
}

/** True when a lookup failed in a way that may pass (a registry error): such results are never cached. */
export function isTransient(registry: RegistryFacts): boolean {
  return registry.status === 'error' || registry.tagStatus === 'error';
}

/** `nginx:1.25` pinned to `digest`: the reference as written, tag kept for people, plus `@digest`. */
export function pinnedImage(raw: string, digest: string): string {
  return `${raw}@${digest}`;
}
