/**
 * The registry resolver contract: what a container registry says an image reference means *now*.
 * The engine defines it and stays free of network code; `@pullguard/registry` implements it over
 * the OCI distribution API, fixtures implement it for `pullguard test` and the playground, and the
 * CLI and server wire one in. Registry rules (`image-exists`, `digest-matches-tag`, digest pinning)
 * only ever see this interface.
 */

/** A reference as the registry is asked about it, normalized as the engine parses it. */
export interface RegistryReference {
  /** The normalized domain (`docker.io`, `ghcr.io`, `localhost:5000`), not the endpoint host. */
  readonly registry: string;
  /** The repository path (`library/nginx`). */
  readonly repository: string;
  /** Set to resolve a tag to the digest it names now. */
  readonly tag?: string | undefined;
  /** Set to prove a digest exists (when both are set, the digest is what is looked up). */
  readonly digest?: string | undefined;
}

/** What a reference resolved to. A cached answer always carries the digest it vouches for. */
export interface ResolvedManifest {
  /** `sha256:…` of the manifest the reference names: the index / manifest list for multi-arch images. */
  readonly digest: string;
  readonly mediaType: string;
  /** True for an OCI image index or a Docker manifest list (a multi-platform image). */
  readonly index: boolean;
  /** True when the registry failed and a cached answer past its soft TTL was served instead. */
  readonly stale: boolean;
  /** When the registry gave this answer (the injected clock, ms since epoch). */
  readonly resolvedAt: number;
}

export type RegistryFailureKind =
  | 'not-found'
  | 'unauthorized'
  | 'rate-limited'
  | 'unreachable'
  | 'timeout'
  | 'tls'
  | 'protocol';

/** Why a lookup did not give an answer. Never carries a credential. */
export interface RegistryFailure {
  readonly kind: RegistryFailureKind;
  /** The registry host that was contacted (`registry-1.docker.io`, `127.0.0.1:5000`). */
  readonly host: string;
  readonly message: string;
  /** What to do about it (`run docker login HOST`, `pass --plain-http HOST`, …). */
  readonly hint: string;
  /** The HTTP status, when the registry answered. */
  readonly status?: number | undefined;
}

export type Resolution =
  | { readonly ok: true; readonly manifest: ResolvedManifest }
  | { readonly ok: false; readonly failure: RegistryFailure };

export interface ResolveOptions {
  /** Aborts the lookup (e.g. the admission deadline); the result is then a `timeout` failure. */
  readonly signal?: AbortSignal | undefined;
}

export interface RegistryResolver {
  /**
   * Resolves a tag to its digest, or proves a digest exists. Never throws and never rejects:
   * every failure is a `Resolution` with `ok: false`.
   */
  resolve(reference: RegistryReference, options?: ResolveOptions): Promise<Resolution>;
}
