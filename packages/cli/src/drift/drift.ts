/**
 * Drift of running workloads: for each container of each Pod (with its status, as the API server
 * returns it), what runs — the digest its runtime reports — against what its tag names now.
 */
import type {
  ContainerType,
  ExtractedImage,
  LoadedManifests,
  PullPolicy,
  RegistryFailure,
  SourceLocation,
} from '@pullguard/engine';
import { type RegistryLookups, tagLookup } from '@pullguard/engine/internals';
import { type RunningImage, runningImage } from './image-id.js';

/**
 * `current`: runs what the tag names now. `drifted`: the tag moved since the node pulled it.
 * `pinned`: the spec names a digest, which no tag can move. `unknown`: it cannot be told (see `why`).
 */
export type DriftState = 'current' | 'drifted' | 'pinned' | 'unknown';

export interface DriftEntry {
  namespace: string;
  pod: string;
  /** The Pod's `metadata.uid` (what `kubectl get pods -o json` gives), null when absent. */
  uid: string | null;
  container: string;
  containerType: ContainerType;
  /** The spec's image, as written. */
  image: string;
  pullPolicy: PullPolicy;
  state: DriftState;
  /** One sentence: what runs against what the tag names, and what that means under the pull policy. */
  why: string;
  /** As the runtime wrote it (`status.…ContainerStatuses[].imageID`); null when there is no status. */
  imageID: string | null;
  /** The digest that runs: the repo digest (or image ID) the runtime reported. */
  runningDigest: string | null;
  /** The digest the spec's tag names now (null when not resolved, or pinned). */
  tagDigest: string | null;
  /** The tag's digest is a multi-platform index. */
  index: boolean | null;
  /** The registry failed and a cached answer past its freshness was used. */
  stale: boolean;
  /** Set when the registry could not be asked about the tag: the run cannot vouch for this container. */
  registryError: Pick<RegistryFailure, 'host' | 'kind' | 'message' | 'hint'> | null;
  location: SourceLocation | null;
}

/** Status lists by container type, matched to containers by name (names are unique within a Pod). */
const STATUS_LIST: Readonly<Record<Exclude<ContainerType, 'volume'>, string>> = {
  container: 'containerStatuses',
  init: 'initContainerStatuses',
  sidecar: 'initContainerStatuses',
  ephemeral: 'ephemeralContainerStatuses',
};

/**
 * The drift of every container of the Pods in `loaded` (image volumes have no status and are
 * skipped), in input order. Without `lookups` (offline) tags are not resolved.
 */
export async function driftOf(
  loaded: LoadedManifests,
  lookups: RegistryLookups | undefined,
  defaultNamespace: string,
): Promise<DriftEntry[]> {
  const entries = loaded.images
    .filter((image) => isPod(image) && image.container.type !== 'volume')
    .map((image) => entryFor(loaded, image, lookups, defaultNamespace));
  return Promise.all(entries);
}

export function isPod(image: ExtractedImage): boolean {
  return image.workload.kind === 'Pod' && image.workload.apiVersion === 'v1';
}

async function entryFor(
  loaded: LoadedManifests,
  image: ExtractedImage,
  lookups: RegistryLookups | undefined,
  defaultNamespace: string,
): Promise<DriftEntry> {
  const status = statusOf(loaded, image);
  const imageID = typeof status?.['imageID'] === 'string' ? status['imageID'] : null;
  const running = status === undefined ? undefined : runningImage(status['imageID'], status['image']);
  const metadata = loaded.objects[image.objectIndex]?.object['metadata'] as
    | Record<string, unknown>
    | undefined;
  const entry: DriftEntry = {
    namespace: image.workload.namespace ?? defaultNamespace,
    pod: image.workload.name,
    uid: typeof metadata?.['uid'] === 'string' ? metadata['uid'] : null,
    container: image.container.name,
    containerType: image.container.type,
    image: image.raw,
    pullPolicy: image.pullPolicy.effective,
    state: 'unknown',
    why: '',
    imageID,
    runningDigest: running?.digest ?? null,
    tagDigest: null,
    index: null,
    stale: false,
    registryError: null,
    location: image.location ?? null,
  };
  const reference = image.reference;
  const unknown = (why: string) => Object.assign(entry, { state: 'unknown', why });
  if (reference === undefined) return unknown('the image reference does not parse');
  if (reference.digest !== undefined) {
    return Object.assign(entry, {
      state: 'pinned',
      why: `pinned by digest ${reference.digest}: no tag can change what runs`,
    });
  }
  if (status === undefined) {
    return unknown(
      'the Pod reports no status for this container (not started yet, or not a Pod from the API server)',
    );
  }
  if (lookups === undefined) return unknown('the tag was not resolved: no registry access (--offline)');
  const tag = reference.tag ?? 'latest';
  const answer = await lookups.resolve(tagLookup(reference));
  if (!answer.ok) {
    const { host, kind, message, hint } = answer.failure;
    if (kind === 'not-found') {
      return unknown(
        `the tag ${tag} no longer exists (${message}): a node without the image cannot start this container`,
      );
    }
    entry.registryError = { host, kind, message, hint };
    return unknown(`the registry could not be asked about the tag: ${host}: ${kind}: ${message}`);
  }
  const now = answer.manifest;
  Object.assign(entry, { tagDigest: now.digest, index: now.index, stale: now.stale });
  if (running === undefined) {
    return unknown(
      imageID === null || imageID === ''
        ? 'the runtime has not reported what runs yet (the image may still be pulling)'
        : `imageID ${JSON.stringify(imageID)} is in no form runtimes write for a pulled image`,
    );
  }
  if (running.digest === now.digest) {
    return Object.assign(entry, { state: 'current', why: `runs ${now.digest}, what ${image.raw} names now` });
  }
  if (running.kind === 'image-id') return unknown(imageIdWhy(running));
  return Object.assign(entry, {
    state: 'drifted',
    why: `${image.raw} now names ${now.digest}; this container runs ${running.digest}. ${consequence(entry.pullPolicy)}`,
  });
}

function imageIdWhy(running: RunningImage): string {
  return `the runtime reported an image ID (${running.digest}), the digest of the image's configuration rather than of its manifest, so it cannot be compared with what the tag names (containerd and CRI-O report one for an image without a repo digest)`;
}

/** What a moved tag means for a container under its pull policy (kubelet pkg/kubelet/images, v1.33). */
function consequence(policy: PullPolicy): string {
  switch (policy) {
    case 'IfNotPresent':
      return 'With IfNotPresent, nodes that have the old image keep running it while new nodes pull the new one.';
    case 'Always':
      return 'With Always, kubelet pulls the tag again when the container restarts: the next restart changes the code.';
    case 'Never':
      return 'With Never, kubelet never pulls: only nodes loaded with the new image run it.';
  }
}

/** The container's entry in the Pod's status list for its type, by name. */
function statusOf(loaded: LoadedManifests, image: ExtractedImage): Record<string, unknown> | undefined {
  const object = loaded.objects.find((o) => o.index === image.objectIndex)?.object;
  const status = object?.['status'];
  if (typeof status !== 'object' || status === null) return undefined;
  const list = (status as Record<string, unknown>)[
    STATUS_LIST[image.container.type as keyof typeof STATUS_LIST]
  ];
  if (!Array.isArray(list)) return undefined;
  return list.find(
    (entry): entry is Record<string, unknown> =>
      typeof entry === 'object' &&
      entry !== null &&
      (entry as Record<string, unknown>)['name'] === image.container.name,
  );
}
