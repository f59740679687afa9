/**
 * What a container runs, read from `status.containerStatuses[].imageID` in every form runtimes write:
 *
 * - `docker-pullable://nginx@sha256:…` — Docker (dockershim, cri-dockerd) for an image pulled from a
 *   registry: the repo digest (kubernetes pkg/kubelet/dockershim `DockerPullableImageIDPrefix`).
 * - `docker://sha256:…` — Docker for an image without a repo digest (built or loaded on the node):
 *   the image ID (`DockerImageIDPrefix`).
 * - `docker.io/library/nginx@sha256:…` — containerd and CRI-O: the image's first repo digest
 *   (containerd pkg/cri/server/container_status.go: `imageRef = image.RepoDigests[0]`).
 * - `sha256:…` — containerd (and CRI-O) when the image has no repo digest: its image ID
 *   (`container.ImageRef`, the digest of the image's configuration), as is a bare 64-hex ID.
 *
 * A repo digest is the digest of the manifest (the index for a multi-platform image) the node
 * pulled: comparable with what a tag names now. An image ID is the digest of the image's
 * configuration: equal to a manifest digest only by accident of naming, never in fact — so it
 * proves nothing either way. Newer CRI-O releases report image IDs in `imageID` and the repo digest
 * in `image` (quay/container-security-operator#122): `image` is read when it names a digest.
 */
import { tryParseImageReference } from '@pullguard/engine';

export interface RunningImage {
  /** `sha256:…` as the runtime reported it. */
  digest: string;
  /** `repo-digest`: the manifest digest the image was pulled by. `image-id`: the image's own ID. */
  kind: 'repo-digest' | 'image-id';
}

const IMAGE_ID = /^(?:sha256:)?([a-f0-9]{64})$/;

/** The running image of a container status (`imageID`, else a digest in `image`); undefined when neither says. */
export function runningImage(imageID: unknown, image: unknown): RunningImage | undefined {
  const fromId = typeof imageID === 'string' ? parseImageId(imageID) : undefined;
  if (fromId?.kind === 'repo-digest') return fromId;
  const fromImage = typeof image === 'string' ? repoDigest(image) : undefined;
  return fromImage ?? fromId;
}

export function parseImageId(imageID: string): RunningImage | undefined {
  const id = imageID.trim();
  if (id.startsWith('docker-pullable://')) return repoDigest(id.slice('docker-pullable://'.length));
  const bare = id.startsWith('docker://') ? id.slice('docker://'.length) : id;
  const hex = IMAGE_ID.exec(bare)?.[1];
  if (hex !== undefined) return { digest: `sha256:${hex}`, kind: 'image-id' };
  return repoDigest(id);
}

/** `repo@sha256:…` (as Kubernetes parses references) → its digest. */
function repoDigest(reference: string): RunningImage | undefined {
  const parsed = tryParseImageReference(reference);
  const digest = parsed.ok ? parsed.reference.digest : undefined;
  return digest === undefined ? undefined : { digest, kind: 'repo-digest' };
}
