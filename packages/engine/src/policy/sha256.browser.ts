import { sha256 as hasher } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * sha256.ts for the browser build (package.json `browser`), which has no synchronous SHA-256 of
 * its own (WebCrypto's digest is asynchronous): the same parts, the same length prefixes, so
 * fingerprints and cache keys equal the ones Node computes.
 */
export function sha256(...parts: readonly string[]): string {
  const hash = hasher.create();
  for (const part of parts) hash.update(utf8ToBytes(`${part.length}:${part}`));
  return bytesToHex(hash.digest());
}
