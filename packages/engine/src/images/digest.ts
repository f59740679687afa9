import type { GrammarProblem } from './reference-grammar.js';

/**
 * Digest validation as github.com/opencontainers/go-digest v1.0.0 does it (`Digest.Validate` in
 * digest.go, `Algorithm.Validate` in algorithm.go), after the reference grammar has accepted the
 * shape `algorithm:hex` (reference.go v0.6.0 `Parse` calls `digest.Parse`).
 *
 * - An algorithm the binary registers (sha256, sha384, sha512: Kubernetes links crypto/sha256 and
 *   crypto/sha512) must carry exactly `2 × hash size` hex characters ("invalid checksum digest
 *   length"), all lowercase (`^[a-f0-9]{N}$`, "invalid checksum digest format").
 * - Any other algorithm is "unsupported digest algorithm" when it is well formed by go-digest's
 *   `DigestRegexp` (lowercase components `[a-z0-9]+` joined by `[.+_-]`), else "invalid format".
 */
const HEX_LENGTH_BY_ALGORITHM: ReadonlyMap<string, number> = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
]);

export const SUPPORTED_DIGEST_ALGORITHMS: readonly string[] = [...HEX_LENGTH_BY_ALGORITHM.keys()];

/**
 * Validates `input[start, end)` (already `algorithm:hex` by the reference grammar, ':' at `colon`)
 * with go-digest v1.0.0's semantics.
 */
export function checkDigestSemantics(
  input: string,
  start: number,
  colon: number,
  end: number,
): GrammarProblem | undefined {
  const algorithm = input.slice(start, colon);
  const expected = HEX_LENGTH_BY_ALGORITHM.get(algorithm);
  if (expected === undefined) {
    for (let i = start; i < colon; i++) {
      const c = input.charCodeAt(i);
      if (c >= 0x41 && c <= 0x5a) {
        return { message: `the digest algorithm "${algorithm}" must be lowercase (offset ${i})`, offset: i };
      }
    }
    return {
      message: `unsupported digest algorithm "${algorithm}" (Kubernetes accepts ${SUPPORTED_DIGEST_ALGORITHMS.join(', ')})`,
      offset: start,
    };
  }
  const hexLength = end - colon - 1;
  if (hexLength !== expected) {
    return {
      message: `a ${algorithm} digest has exactly ${expected} hex characters, this one has ${hexLength}`,
      offset: colon + 1,
    };
  }
  for (let i = colon + 1; i < end; i++) {
    const c = input.charCodeAt(i);
    if (c >= 0x41 && c <= 0x46) {
      return {
        message: `a ${algorithm} digest must be lowercase hex ('${input[i]}' at offset ${i})`,
        offset: i,
      };
    }
  }
  return undefined;
}
