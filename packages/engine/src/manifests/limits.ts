import type { ManifestLimits } from '../engine-api.js';

export type ResolvedLimits = Readonly<Required<{ [K in keyof ManifestLimits]: number }>>;

/** The defaults promised by ManifestLimits' comments (engine-api.ts). */
export const DEFAULT_MANIFEST_LIMITS: ResolvedLimits = Object.freeze({
  // 3 MiB: the API server's default request body limit, so nothing the cluster accepts is refused here.
  maxDocumentBytes: 3 * 1024 * 1024,
  // Far above any manifest file or `kubectl get -A -o yaml` dump of a large cluster, and well
  // below what fits in one JavaScript string (V8's limit is about 2^29 characters).
  maxFileBytes: 128 * 1024 * 1024,
  maxAliases: 1000,
  maxDepth: 100,
});

export function resolveLimits(limits: ManifestLimits | undefined): ResolvedLimits {
  return {
    maxDocumentBytes: limits?.maxDocumentBytes ?? DEFAULT_MANIFEST_LIMITS.maxDocumentBytes,
    maxFileBytes: limits?.maxFileBytes ?? DEFAULT_MANIFEST_LIMITS.maxFileBytes,
    maxAliases: limits?.maxAliases ?? DEFAULT_MANIFEST_LIMITS.maxAliases,
    maxDepth: limits?.maxDepth ?? DEFAULT_MANIFEST_LIMITS.maxDepth,
  };
}
