import { createHash } from 'node:crypto';

/**
 * Hex SHA-256 of the parts, each length-prefixed so that no two part lists collide. Node's own
 * hash; sha256.browser.ts is the same function for the browser build (package.json `browser`),
 * and a test holds the two to the same answers.
 */
export function sha256(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:${part}`);
  return hash.digest('hex');
}
