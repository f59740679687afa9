/**
 * Matching for image pattern wildcards, over the components of a normalized name
 * (`host/path/…`). Wildcards never cross a component boundary unless they are `**`:
 *
 * - `*` in a path component matches any run of characters of that component (also none);
 * - `*` in the host matches within one DNS label and never the port (`*.acme.io` matches
 *   `eu.acme.io`, not `a.b.acme.io` nor `eu.acme.io:5000`); a port is matched only by a
 *   pattern that has one (`reg.acme.io:*`);
 * - `**` (a whole component) matches any number of components; at the end of a pattern it
 *   matches one or more (everything below, never the parent itself).
 *
 * Both levels use the engine's one wildcard matcher (../wildcard.ts): O(pattern × text) at worst,
 * on inputs bounded by the reference length.
 */
import { sequenceMatch, wildcardMatch } from '../wildcard.js';

export const GLOBSTAR = '**';

interface HostParts {
  labels: string[];
  port: string | undefined;
}

/** The offset of the `:` before a host's port, or -1 (`[::1]:5000` → 5, `[::1]` → -1). */
export function portColon(host: string): number {
  return host.indexOf(':', host.lastIndexOf(']') + 1);
}

/** `reg.acme.io:5000` → labels `reg`, `acme`, `io` and port `5000`; `[::1]:80` → one label `[::1]`. */
export function splitHost(host: string): HostParts {
  const colon = portColon(host);
  const hostname = colon === -1 ? host : host.slice(0, colon);
  const port = colon === -1 ? undefined : host.slice(colon + 1);
  return { labels: hostname.startsWith('[') ? [hostname] : hostname.split('.'), port };
}

/** A host pattern (already lowercase) against a name's host (lowercased by the caller). */
export function hostMatches(pattern: HostParts, host: string): boolean {
  const actual = splitHost(host);
  if (actual.labels.length !== pattern.labels.length) return false;
  if ((pattern.port === undefined) !== (actual.port === undefined)) return false;
  if (pattern.port !== undefined && !wildcardMatch(pattern.port, actual.port ?? '')) return false;
  return pattern.labels.every((label, i) => wildcardMatch(label, actual.labels[i] ?? ''));
}

/**
 * Path components with `*` and `**` against name components, from index `from` of both. A
 * trailing `**` has been rewritten by the compiler to `*`, `**` (one or more components).
 */
export function componentsMatch(pattern: readonly string[], name: readonly string[], from: number): boolean {
  return sequenceMatch(pattern, name, isGlobstar, wildcardMatch, from);
}

const isGlobstar = (component: string): boolean => component === GLOBSTAR;

/** ASCII-lowercases the host (first component) of a name: hosts are case-insensitive in DNS. */
export function canonicalHostName(name: string): string {
  const slash = name.indexOf('/');
  const hostEnd = slash === -1 ? name.length : slash;
  for (let i = 0; i < hostEnd; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) {
      return name.slice(0, hostEnd).replace(/[A-Z]+/g, (upper) => upper.toLowerCase()) + name.slice(hostEnd);
    }
  }
  return name;
}
