/**
 * Image patterns (allowlists, denylists, pre-loaded images, private registries, exemption images)
 * as CEL, with the engine's semantics (image-pattern.ts, image-pattern-set.ts, pattern-glob.ts):
 * exact names, prefixes ending in `/`, and globs where `*` stays within one component (or one
 * host label, never the port) and `**` spans components. Each pattern is compiled by the engine
 * (`compileImagePattern`), so normalization (`nginx` → `docker.io/library/nginx`, lowercase hosts,
 * the rewritten trailing `**`, the canonical host of a `registry` pattern) is the engine's; only
 * matching is translated:
 *
 *   exact                      name in {…}            (one map lookup for all exact patterns)
 *   prefix                     name.startsWith(…)
 *   glob, literal host         name.matches(^host/…$)
 *   glob spanning hosts (`**`) ('/' + name).matches(^(/comp)…$)
 *   glob, host with wildcards  hostname, port and the rest matched apart, as splitHost does
 *
 * Components are matched against `'/'`-prefixed segments: `*` → `[^/]*`, `**` → `(?:/[^/]*)*`
 * (zero or more components), so every regex is anchored and linear (RE2).
 *
 * The two spellings of image-pattern.ts `PatternSpellings`:
 * - `exact` sets (`patternSet`: allowlists, pre-loaded images, exemptions) match the normalized
 *   name as written, host lowercased (`refTarget`);
 * - `registry` sets (`registryPatternSet`: denied-registries, private-images) match the name in
 *   its canonical spelling (`spelledTarget`, computed per image by reference.ts as
 *   registry-aliases.ts `canonicalRegistryName` does), and a pattern whose host is a wildcard or
 *   that spans hosts is tried against every spelling of the name's host (`hostSpellings`). Which
 *   of Docker Hub's eight spellings such a pattern's host accepts does not depend on the image:
 *   it is decided here, with the engine's matchers, and the CEL matches only the path (also
 *   without `library/`, `pathSpellings`). Any other host is tried in CEL as itself and, when it
 *   has no port, with `:443`.
 */
import {
  compileImagePattern,
  DOCKER_HUB_HOSTS,
  hostMatches,
  hostSpellings,
  type ImagePattern,
  type PatternSpellings,
  splitHost,
  wildcardMatch,
} from '@pullguard/engine/internals';
import { allOf, anyOf, FALSE, not, reQuote, str, strSet } from './cel.js';

/** CEL expressions for the name an `exact` set is matched against. */
export interface NameTarget {
  /** The normalized name with its host lowercased. */
  name: string;
  /** For host wildcards: the host without port, the port, whether there is one, and what follows the host (`/…`). */
  hostname: string;
  port: string;
  hasPort: string;
  hpath: string;
}

/** CEL expressions for the name of a valid reference in its canonical spelling, what a `registry` set matches. */
export interface SpelledTarget {
  /** The canonical name (registry-aliases.ts `canonicalRegistryName`). */
  name: string;
  /** The canonical host is `docker.io`. */
  hub: string;
  /** The canonical host, its hostname, port ('' when none) and whether it has one. */
  host: string;
  hostname: string;
  port: string;
  hasPort: string;
  /** The canonical path (`/…`), and on Docker Hub an official image's path without `library/` (else ''). */
  path: string;
  short: string;
}

export interface PatternSet<Target> {
  /** The sources as written, for messages. */
  sources: readonly string[];
  /** CEL: true when some pattern matches the target. */
  matches(target: Target): string;
}

export interface ExactPatternSet extends PatternSet<NameTarget> {
  /** Some pattern has a wildcard in its host: the target's host parts are read. */
  hostWildcards: boolean;
}

const GLOBSTAR = '**';
/** The port a node uses when none is written: registry-aliases.ts spells every portless host with it too. */
const HTTPS_PORT = '443';
/** Docker Hub's names, each with and without `:443` (registry-aliases.ts `hostSpellings`). */
const HUB_SPELLINGS = hostSpellings(DOCKER_HUB_HOSTS[0] as string);

/** A set matched on the normalized name as written (allowlists, pre-loaded images, exemption images). */
export function patternSet(sources: readonly string[]): ExactPatternSet {
  const patterns = compile(sources, 'exact');
  return {
    sources,
    hostWildcards: patterns.some((p) => p.kind === 'glob' && !p.spansHosts && hostHasWildcard(p)),
    matches: (target) =>
      anyMatches(patterns, target.name, (pattern) =>
        pattern.spansHosts
          ? `('/' + ${target.name}).matches(${anchored(pattern.components)})`
          : allOf([
              hostCondition(pattern.components[0] ?? '', target),
              `${target.hpath}.matches(${anchored(pattern.components.slice(1))})`,
            ]),
      ),
  };
}

/** A set matched on every spelling of the registry (denied-registries, private-images). */
export function registryPatternSet(sources: readonly string[]): PatternSet<SpelledTarget> {
  const patterns = compile(sources, 'registry');
  return {
    sources,
    matches: (target) =>
      anyMatches(patterns, target.name, (pattern) =>
        pattern.spansHosts ? spelledSpansHosts(pattern, target) : spelledWildcardHost(pattern, target),
      ),
  };
}

function compile(sources: readonly string[], spellings: PatternSpellings): ImagePattern[] {
  return sources.map((source) => compileImagePattern(source, spellings).pattern);
}

/**
 * Exact names, prefixes and globs with a literal host match `name` itself; `wild` translates the
 * globs that span hosts or have a wildcard in their host.
 */
function anyMatches(
  patterns: readonly ImagePattern[],
  name: string,
  wild: (pattern: ImagePattern) => string,
): string {
  const exact = patterns.filter((p) => p.kind === 'exact').map((p) => p.normalized);
  const parts: string[] = [];
  if (exact.length === 1) parts.push(`${name} == ${str(exact[0] as string)}`);
  else if (exact.length > 1) parts.push(`${name} in ${strSet(exact)}`);
  for (const pattern of patterns) {
    if (pattern.kind === 'prefix') parts.push(`${name}.startsWith(${str(pattern.normalized)})`);
    else if (pattern.kind !== 'glob') continue;
    else if (pattern.spansHosts || hostHasWildcard(pattern)) parts.push(wild(pattern));
    else {
      const [host = '', ...rest] = pattern.components;
      parts.push(`${name}.matches(${str(`^${reQuote(host)}${componentsRegex(rest)}$`)})`);
    }
  }
  return anyOf(parts);
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

/** A CEL string: the anchored regex of `components`, for `/`-prefixed text. */
function anchored(components: readonly string[]): string {
  return str(`^${componentsRegex(components)}$`);
}

/**
 * pattern-glob.ts hostMatches: as many labels as the pattern (an IPv6 host is one label), each
 * matched on its own (`*` within the label), and a port exactly when the pattern has one.
 * Hosts with wildcards are never IPv6 (the pattern compiler refuses that).
 */
function hostCondition(host: string, target: Pick<NameTarget, 'hostname' | 'port' | 'hasPort'>): string {
  const { labels, port } = splitHost(host);
  return allOf([labelsCondition(labels, target.hostname), portCondition(port, target, false)]);
}

const wildText = (text: string, any: string) => text.split('*').map(reQuote).join(any);

function labelsCondition(labels: readonly string[], hostname: string): string {
  if (labels.length === 1) {
    return `((${hostname}.startsWith('[') || !${hostname}.contains('.')) && ${hostname}.matches(${str(`^(?s:${wildText(labels[0] as string, '.*')})$`)}))`;
  }
  return `(!${hostname}.startsWith('[') && ${hostname}.matches(${str(`^${labels.map((l) => wildText(l, '[^.]*')).join('\\.')}$`)}))`;
}

/** The pattern's port (undefined: none) against the target's; `orNone`: a target without a port counts as `:443`. */
function portCondition(
  port: string | undefined,
  target: Pick<NameTarget, 'port' | 'hasPort'>,
  orNone: boolean,
): string {
  if (port === undefined) return not(target.hasPort);
  const same = port.includes('*')
    ? `${target.port}.matches(${str(`^(?s:${wildText(port, '.*')})$`)})`
    : `${target.port} == ${str(port)}`;
  return orNone ? `(!${target.hasPort} || ${same})` : `(${target.hasPort} && ${same})`;
}

/** The canonical path, or on Docker Hub the official image without `library/`, matches `components` (pathSpellings). */
function spelledPath(components: readonly string[], target: SpelledTarget): string {
  if (components.length === 0) return FALSE; // a name has a path
  const regex = anchored(components);
  return `(${target.path}.matches(${regex}) || (${target.short} != '' && ${target.short}.matches(${regex})))`;
}

/** On Docker Hub, what the engine decided (`onHub`); elsewhere, `elsewhere` in CEL. */
function spelledHost(onHub: boolean, elsewhere: string, target: SpelledTarget): string {
  return onHub ? anyOf([target.hub, elsewhere]) : allOf([not(target.hub), elsewhere]);
}

/**
 * A glob with a wildcard host, tried against every spelling of the name's host: its host accepts
 * one of them (Docker Hub's, decided here; any other canonical host, and without a port also with
 * `:443`) and its path components match the path.
 */
function spelledWildcardHost(pattern: ImagePattern, target: SpelledTarget): string {
  const [host = '', ...rest] = pattern.components;
  const parts = splitHost(host);
  const onHub = HUB_SPELLINGS.some((spelling) => hostMatches(parts, spelling));
  const elsewhere = allOf([
    labelsCondition(parts.labels, target.hostname),
    portCondition(parts.port, target, parts.port !== undefined && wildcardMatch(parts.port, HTTPS_PORT)),
  ]);
  return allOf([spelledHost(onHub, elsewhere, target), spelledPath(rest, target)]);
}

/**
 * A glob spanning hosts (`**` first, or the `*`, `**` that `**` compiles to), against
 * `[host, …path]` for every spelling of the host: with C its components and `c` the first that
 * is not `**`, either a leading `**` takes the host (and maybe more) and C matches the path, or
 * `c` matches the host and what follows `c` matches the path. The compiler ends every glob with a
 * component that is not `**`, so `c` exists.
 */
function spelledSpansHosts(pattern: ImagePattern, target: SpelledTarget): string {
  const components = pattern.components;
  const first = components.findIndex((c) => c !== GLOBSTAR);
  const component = components[first] as string;
  const regex = anchored([component]);
  const onHub = HUB_SPELLINGS.some((spelling) => wildcardMatch(component, spelling));
  const elsewhere = `(('/' + ${target.host}).matches(${regex}) || (!${target.hasPort} && ('/' + ${target.host} + ${str(`:${HTTPS_PORT}`)}).matches(${regex})))`;
  return anyOf([
    first > 0 ? spelledPath(components, target) : FALSE,
    allOf([spelledHost(onHub, elsewhere, target), spelledPath(components.slice(first + 1), target)]),
  ]);
}

/** The refs fields an `exact` set reads: `lname` for rules (valid references), `mname` for exemptions. */
export function refTarget(r: string, name: 'lname' | 'mname'): NameTarget {
  return {
    name: `${r}.${name}`,
    hostname: `${r}.hostname`,
    port: `${r}.port`,
    hasPort: `${r}.hasPort`,
    hpath: `${r}.hpath`,
  };
}

/** The refs fields a `registry` set reads (reference.ts, `spellings`); only meaningful for a valid reference. */
export function spelledTarget(r: string): SpelledTarget {
  return {
    name: `${r}.cname`,
    hub: `${r}.hub`,
    host: `${r}.chost`,
    hostname: `${r}.hostname`,
    port: `${r}.cport`,
    hasPort: `${r}.chasPort`,
    path: `${r}.cpath`,
    short: `${r}.cshort`,
  };
}
