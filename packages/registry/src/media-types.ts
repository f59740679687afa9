/**
 * Manifest media types a lookup accepts. A registry answers a manifest request with the best
 * match for `Accept`; without the index types it picks one platform's manifest of a multi-arch
 * image (distribution 2.8.2 `registry/handlers/manifests.go` `GetManifest`), so a digest pinned
 * from that answer is wrong on every other platform. With them, the digest is the one the tag
 * names: the OCI image index or Docker manifest list.
 */

/** opencontainers/image-spec v1.1.0 `specs-go/v1/mediatype.go` `MediaTypeImageIndex`. */
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
/** opencontainers/image-spec v1.1.0 `MediaTypeImageManifest`. */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
/** Docker Image Manifest V2, Schema 2 (distribution `docs/spec/manifest-v2-2.md`): the manifest list. */
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
/** Docker Image Manifest V2, Schema 2: a single-platform image manifest. */
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

/** Indexes first: a registry holding both forms of a tag must answer with the one the tag names. */
export const MANIFEST_ACCEPT = [OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST].join(', ');

/** True for the two multi-platform forms. */
export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST;
}

/** `application/vnd.oci.image.index.v1+json; charset=utf-8` → the bare type, lowercased. */
export function bareMediaType(contentType: string | undefined): string {
  if (contentType === undefined) return '';
  const semicolon = contentType.indexOf(';');
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}
