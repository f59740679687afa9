import { createHash, randomBytes } from 'node:crypto';

/**
 * Pushes test images through the OCI distribution API (distribution-spec v1.1.0 spec.md,
 * "Pushing blobs" POST-then-PUT and "Pushing Manifests"): blobs, single-platform OCI manifests,
 * OCI indexes of several platforms, and tag moves (a PUT of an existing manifest under a tag).
 */
export interface PushedManifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  readonly platform?: { readonly os: string; readonly architecture: string } | undefined;
}

export const OCI_MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX_TYPE = 'application/vnd.oci.image.index.v1+json';

export class OciPusher {
  readonly #manifests = new Map<string, { mediaType: string; bytes: Buffer }>();

  /** `authorize(scope)` gives the Authorization header for a push to a repository (or none). */
  constructor(
    private readonly base: string,
    private readonly authorize: (repository: string) => Promise<string | undefined>,
  ) {}

  /**
   * A one-layer image for one platform, tagged `tag`. Each push has new random content, unless a
   * `seed` makes it the same every time (documentation examples show real, stable digests).
   */
  async pushImage(
    repository: string,
    tag: string,
    platform: { os: string; architecture: string } = { os: 'linux', architecture: 'amd64' },
    seed?: string,
  ): Promise<PushedManifest> {
    const layer =
      seed === undefined
        ? randomBytes(64)
        : createHash('sha512').update(`${seed} ${platform.architecture}`).digest();
    const layerDigest = sha256(layer);
    const config = Buffer.from(
      JSON.stringify({ ...platform, rootfs: { type: 'layers', diff_ids: [layerDigest] }, config: {} }),
    );
    await this.pushBlob(repository, config);
    await this.pushBlob(repository, layer);
    const manifest = {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST_TYPE,
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: sha256(config),
        size: config.length,
      },
      layers: [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length },
      ],
    };
    return { ...(await this.pushManifest(repository, tag, OCI_MANIFEST_TYPE, manifest)), platform };
  }

  /**
   * A multi-platform tag: one image per platform (each also tagged `TAG-ARCH`), and the OCI index
   * over them tagged `tag`.
   */
  async pushMultiPlatform(
    repository: string,
    tag: string,
    platforms: readonly { os: string; architecture: string }[] = [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
    ],
    seed?: string,
  ): Promise<{ index: PushedManifest; manifests: PushedManifest[] }> {
    const manifests: PushedManifest[] = [];
    for (const platform of platforms)
      manifests.push(await this.pushImage(repository, `${tag}-${platform.architecture}`, platform, seed));
    return { index: await this.pushIndex(repository, tag, manifests), manifests };
  }

  /** An OCI index over already pushed single-platform manifests (a multi-arch tag). */
  async pushIndex(
    repository: string,
    tag: string,
    manifests: readonly PushedManifest[],
  ): Promise<PushedManifest> {
    const index = {
      schemaVersion: 2,
      mediaType: OCI_INDEX_TYPE,
      manifests: manifests.map(({ digest, mediaType, size, platform }) => ({
        mediaType,
        digest,
        size,
        platform,
      })),
    };
    return this.pushManifest(repository, tag, OCI_INDEX_TYPE, index);
  }

  /** Points `tag` at a manifest pushed before (by this pusher): moving a tag. */
  async tag(repository: string, tag: string, digest: string): Promise<void> {
    const manifest = this.#manifests.get(digest);
    if (manifest === undefined) throw new Error(`${digest} was not pushed by this harness`);
    await this.#put(repository, tag, manifest.mediaType, manifest.bytes);
  }

  async pushBlob(repository: string, content: Buffer): Promise<string> {
    const digest = sha256(content);
    const auth = await this.authorize(repository);
    const start = await fetch(`${this.base}/v2/${repository}/blobs/uploads/`, {
      method: 'POST',
      headers: auth ? { authorization: auth } : {},
    });
    await expectStatus(start, 202, `POST blob upload to ${repository}`);
    const location = new URL(start.headers.get('location') ?? '', this.base);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', ...(auth ? { authorization: auth } : {}) },
      body: content,
    });
    await expectStatus(put, 201, `PUT blob ${digest}`);
    return digest;
  }

  async pushManifest(
    repository: string,
    tag: string,
    mediaType: string,
    manifest: object,
  ): Promise<PushedManifest> {
    const bytes = Buffer.from(JSON.stringify(manifest));
    const digest = sha256(bytes);
    this.#manifests.set(digest, { mediaType, bytes });
    await this.#put(repository, tag, mediaType, bytes);
    return { digest, mediaType, size: bytes.length };
  }

  async #put(repository: string, reference: string, mediaType: string, bytes: Buffer): Promise<void> {
    const auth = await this.authorize(repository);
    const response = await fetch(`${this.base}/v2/${repository}/manifests/${reference}`, {
      method: 'PUT',
      headers: { 'content-type': mediaType, ...(auth ? { authorization: auth } : {}) },
      body: bytes,
    });
    await expectStatus(response, 201, `PUT manifest ${repository}:${reference}`);
  }
}

export function sha256(content: Buffer): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

async function expectStatus(response: Response, status: number, what: string): Promise<void> {
  if (response.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${response.status} ${await response.text()}`);
  }
}
