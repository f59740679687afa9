/**
 * Image patterns (allowlists, denylists, pre-loaded images, private registries, exemption images)
 * as CEL over a normalized name, with the engine's semantics (image-pattern.ts, pattern-glob.ts):
 * exact names, prefixes ending in `/`, and globs where `*` stays within one component (or one
 * host label, never the port) and `**` spans components. Each pattern is compiled by the engine
 * (`compileImagePattern`), so normalization (`nginx` → `docker.io/library/nginx`, lowercase hosts,
 * the rewritten trailing `**`) is the engine's; only matching is translated:
 *
 *   exact                      name in {…}            (one map lookup for all exact patterns)
 *   prefix                     name.startsWith(…)
 *   glob, literal host         name.matches(^host/…$)
 *   glob spanning hosts (`**`) ('/' + name).matches(^(/comp)…$)
 *   glob, host with wildcards  hostname, port and the rest matched apart, as splitHost does
 *
 * Components are matched against `'/'`-prefixed segments: `*` → `[^/]*`, `**` → `(?:/[^/]*)*`
 * (zero or more components), so every regex is anchored and linear (RE2).
 */
import { compileImagePattern, type ImagePattern } from '@pullguard/engine';
import { anyOf, reQuote, str, strSet } from './cel.js';

/** CEL expressions for the name a set of patterns is matched against. */
export interface NameTarget {
  /** The normalized name with its host lowercased. */
  name: string;
  /** For host wildcards: the host without port, the port, whether there is one, and what follows the host (`/…`). */
  hostname: string;
  port: string;
  hasPort: string;
  hpath: string;
}

export interface PatternSet {
  /** The sources as written, for messages. */
  sources: readonly string[];
  /** Some pattern has a wildcard in its host: the target's host parts are read. */
  hostWildcards: boolean;
  /** CEL: true when some pattern matches the target. */
  matches(target: NameTarget): string;
}

const GLOBSTAR = '**';

export function patternSet(
  sources: readonly string[],
  transform?: (p: ImagePattern) => ImagePattern,
): PatternSet {
  const patterns = sources.map((source) => {
    const pattern = compileImagePattern(source).pattern;
    return transform ? transform(pattern) : pattern;
  });
  const hostWildcards = patterns.some((p) => p.kind === 'glob' && !p.spansHosts && hostHasWildcard(p));
  return {
    sources,
    hostWildcards,
    matches(target) {
      const exact = patterns.filter((p) => p.kind === 'exact').map((p) => p.normalized);
      const parts: string[] = [];
      if (exact.length === 1) parts.push(`${target.name} == ${str(exact[0] as string)}`);
      else if (exact.length > 1) parts.push(`${target.name} in ${strSet(exact)}`);
      for (const pattern of patterns) {
        if (pattern.kind === 'prefix') parts.push(`${target.name}.startsWith(${str(pattern.normalized)})`);
        else if (pattern.kind === 'glob') parts.push(globCondition(pattern, target));
      }
      return anyOf(parts);
    },
  };
}

function hostHasWildcard(pattern: ImagePattern): boolean {
  return (pattern.components[0] ?? '').includes('*');
}

/** `*` within one component; `**` any number of whole components (pattern-glob.ts componentsMatch). */
function componentsRegex(components: readonly string[]): string {
  return components
    .map((c) => (c === GLOBSTAR ? '(?:/[^/]*)*' : `/${c.split('*').map(reQuote).join('[^/]*')}`))
    .join('');
}

function globCondition(pattern: ImagePattern, target: NameTarget): string {
  if (pattern.spansHosts) {
    return `('/' + ${target.name}).matches(${str(`^${componentsRegex(pattern.components)}$`)})`;
  }
  const [host = '', ...rest] = pattern.components;
  const body = componentsRegex(rest);
  if (!host.includes('*')) return `${target.name}.matches(${str(`^${reQuote(host)}${body}$`)})`;
  return `(${hostCondition(host, target)} && ${target.hpath}.matches(${str(`^${body}$`)}))`;
}

/**
 * pattern-glob.ts hostMatches: as many labels as the pattern (an IPv6 host is one label), each
 * matched on its own (`*` within the label), and a port exactly when the pattern has one.
 * Hosts with wildcards are never IPv6 (the pattern compiler refuses that), so the pattern's port
 * follows its first ':'.
 */
function hostCondition(host: string, target: NameTarget): string {
  const colon = host.indexOf(':');
  const hostname = colon < 0 ? host : host.slice(0, colon);
  const port = colon < 0 ? undefined : host.slice(colon + 1);
  const labels = hostname.split('.');
  const wild = (text: string, any: string) => text.split('*').map(reQuote).join(any);
  const name =
    labels.length === 1
      ? `(${target.hostname}.startsWith('[') || !${target.hostname}.contains('.')) && ${target.hostname}.matches(${str(`^(?s:${wild(hostname, '.*')})$`)})`
      : `!${target.hostname}.startsWith('[') && ${target.hostname}.matches(${str(`^${labels.map((l) => wild(l, '[^.]*')).join('\\.')}$`)})`;
  const portCondition =
    port === undefined
      ? `!${target.hasPort}`
      : port.includes('*')
        ? `${target.hasPort} && ${target.port}.matches(${str(`^(?s:${wild(port, '.*')})$`)})`
        : `${target.hasPort} && ${target.port} == ${str(port)}`;
  return `(${name} && ${portCondition})`;
}

/** The refs fields a pattern set reads: `lname` for rules (valid references), `mname` for exemptions. */
export function refTarget(r: string, name: 'lname' | 'mname'): NameTarget {
  return {
    name: `${r}.${name}`,
    hostname: `${r}.hostname`,
    port: `${r}.port`,
    hasPort: `${r}.hasPort`,
    hpath: `${r}.hpath`,
  };
}
