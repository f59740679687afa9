import { PullguardError } from '../errors.js';
import { REFERENCE_MAX_LENGTH, REPOSITORY_PATH_MAX_LENGTH } from './image-reference.js';
import { DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX, splitDockerDomain } from './normalize.js';
import { canonicalHostName, componentsMatch, GLOBSTAR, hostMatches, splitHost } from './pattern-glob.js';
import { checkDomain, checkRemoteName, describeChar, isPathComponent } from './reference-grammar.js';
import { canonicalPatternHost } from './registry-aliases.js';

/**
 * Registry and image patterns (allowlists, denylists, exemptions), matched against the
 * normalized name of an image (`ImageReference.name`) at path-component boundaries only:
 *
 *   registry.acme.io/        everything on that host (not registry.acme.io.evil.com, not :5000)
 *   ghcr.io/acme/            everything below that organization (not ghcr.io/acme-evil/…)
 *   nginx                    exactly docker.io/library/nginx (normalized at compile)
 *   ghcr.io/acme/*-api       `*` within one component; `ghcr.io/**\/app` across components
 *
 * Patterns are normalized with the same rules as references (normalize.go v0.6.0
 * splitDockerDomain): the first component is a host when it is `localhost` or contains `.` or
 * `:` (or uppercase), `index.docker.io` is `docker.io`, and anything else is on Docker Hub, so a
 * bare `acme/` is the Docker Hub organization `docker.io/acme/` and `nginx` is
 * `docker.io/library/nginx`; a pattern whose first component is `**` spans hosts too.
 *
 * Host case: the reference grammar keeps the host as written (`Registry.Acme.io/app` is a valid
 * name with that domain), but DNS and therefore the registry kubelet contacts are
 * case-insensitive. Matching compares hosts ASCII-case-insensitively (patterns are lowercased
 * at compile, the name's host at match time): otherwise `EVIL.com/x` would slip past a denylist
 * entry `evil.com/`. Paths are always lowercase (the grammar rejects anything else).
 */
export interface ImagePattern {
  /** As written. */
  source: string;
  /** `nginx` → `docker.io/library/nginx`; `registry.acme.io/` stays a host prefix. */
  normalized: string;
  kind: 'exact' | 'prefix' | 'glob';
  /**
   * Normalized components (host lowercased); for globs, a trailing `**` was rewritten to `*`, `**`
   * (one or more). The first is the host unless `spansHosts`.
   */
  readonly components: readonly string[];
  /** The pattern starts with `**`: its components are matched against the whole name, host included. */
  readonly spansHosts: boolean;
  /** `name` = ImageReference.name (normalized, no tag/digest). */
  matches(name: string): boolean;
}

/** A pattern is no longer than a reference may be (a name with a DNS host is at most 259 + 1 + 255). */
const PATTERN_MAX_LENGTH = REFERENCE_MAX_LENGTH;

/** A pattern as sets index it (image-pattern-set.ts). */
export interface CompiledPattern extends ImagePattern {
  /** Source order, to pick the first glob listed. */
  readonly index: number;
}

/**
 * Which spellings of a name a pattern matches (registry-aliases.ts):
 *
 * - `exact`: the normalized name as written. For lists whose match grants something
 *   (allowlists, exemptions) or names an image as a node stores it (pre-loaded images): another
 *   spelling of an allowed registry is not allowed, so they fail closed.
 * - `registry`: every spelling that reaches the same registry (`evil.com:443/x` is `evil.com/x`,
 *   `registry-1.docker.io/library/nginx` is `nginx`). For lists whose match restricts
 *   (denylists, private registries), where a missed spelling would be a bypass. The host of a
 *   pattern is compiled in its canonical spelling (`quay.io:443/evil/` as `quay.io/evil/`,
 *   `registry-1.docker.io/nginx` as `docker.io/library/nginx`, `myreg:443/` as the host `myreg`),
 *   as the set canonicalizes the host of a name; a pattern with a wildcard host or port is tried
 *   against each spelling (image-pattern-set.ts). Path components still match exactly.
 */
export type PatternSpellings = 'exact' | 'registry';

/** Throws PullguardError('POLICY_BAD_PATTERN') with a message saying what is wrong. */
export function compileImagePattern(
  source: string,
  spellings: PatternSpellings = 'exact',
): { pattern: ImagePattern; warnings: string[] } {
  const { pattern, warnings } = compilePattern(source, 0, spellings);
  return { pattern, warnings };
}

/**
 * `index`: the pattern's position in its list. Throws like compileImagePattern. Whatever the
 * spellings, the source is kept as written (for messages) and checked as written.
 */
export function compilePattern(
  source: string,
  index: number,
  spellings: PatternSpellings = 'exact',
): { pattern: CompiledPattern; warnings: string[] } {
  if (typeof source !== 'string')
    fail(source, `expected a string, got ${source === null ? 'null' : typeof source}`);
  if (source.length === 0) fail(source, 'the pattern is empty');
  if (source.length > PATTERN_MAX_LENGTH) fail(source, `it is longer than ${PATTERN_MAX_LENGTH} characters`);
  const badChar = source.search(/[^A-Za-z0-9._\-/:*[\]]/);
  if (badChar !== -1) {
    const at = `${describeChar(source, badChar)} at offset ${badChar}`;
    if (source[badChar] === '@')
      fail(source, `a pattern names repositories, not digests: remove the digest (${at})`);
    fail(source, `invalid character ${at}`);
  }
  const stars = source.indexOf('***');
  if (stars !== -1) {
    fail(
      source,
      `'***' at offset ${stars} is not a wildcard: use * within a component or ** across components`,
    );
  }
  // With each `*` standing for a digit (valid in labels, ports and paths), the reference grammar checks apply.
  const starsAsDigits = source.replaceAll('*', '0');

  const spansHosts = source === GLOBSTAR || source.startsWith(`${GLOBSTAR}/`);
  const split = spansHosts ? undefined : splitDockerDomain(source);
  let domain = split?.domain ?? '';
  let remoteStart = split?.remoteStart ?? 0;
  if (split?.written !== undefined && domain === split.written) {
    const host = split.written;
    if (host.includes(GLOBSTAR))
      fail(source, `'**' must be a whole path component, not part of the host "${host}"`);
    if (host.startsWith('[') && host.includes('*'))
      fail(source, `wildcards are not supported in IPv6 hosts ("${host}")`);
    const problem = checkDomain(starsAsDigits, 0, host.length);
    if (problem) {
      if (!isPathComponent(starsAsDigits, 0, host.length)) fail(source, problem.message);
      domain = ''; // a valid path but not a valid host: the name has no domain, as in image-reference.ts
      remoteStart = 0;
    }
  }

  const remote = source.slice(remoteStart);
  const colon = remote.indexOf(':');
  if (colon !== -1) {
    const hint = source.includes('/') ? '' : `; for everything on the host ${source}, write ${source}/`;
    fail(source, `a pattern names repositories, not tags (':' at offset ${remoteStart + colon})${hint}`);
  }
  const isPrefix = remote === '' || remote.endsWith('/');
  const pathText = isPrefix ? remote.slice(0, -1) : remote;
  if (pathText === '' && remoteStart === 0) fail(source, 'the repository name is missing');
  if (pathText !== '') {
    const problem = checkRemoteName(starsAsDigits, remoteStart, remoteStart + pathText.length);
    if (problem) fail(source, problem.message);
    const partial = pathText
      .split('/')
      .find((component) => component.includes(GLOBSTAR) && component !== GLOBSTAR);
    if (partial !== undefined)
      fail(source, `'**' must be a whole path component ("${partial}"); use * within one`);
  }

  // In `registry` spellings, Docker Hub is any of its names (a canonical host of `docker.io`);
  // as written, only `docker.io` and `index.docker.io` are (normalize.go).
  const host = spellings === 'registry' ? canonicalPatternHost(domain.toLowerCase()) : domain.toLowerCase();
  const onDockerHub = spellings === 'registry' ? host === DEFAULT_DOMAIN : domain === DEFAULT_DOMAIN;
  const officialPrefix = onDockerHub && pathText !== '' && !remote.includes('/') ? OFFICIAL_REPO_PREFIX : '';
  const path = officialPrefix + pathText;
  const normalizedName = spansHosts || host === '' ? path : path === '' ? host : `${host}/${path}`;
  const normalized = isPrefix ? `${normalizedName}/` : normalizedName;
  const kind = normalized.includes('*') ? 'glob' : isPrefix ? 'prefix' : 'exact';
  if (kind === 'exact' && path.length > REPOSITORY_PATH_MAX_LENGTH) {
    fail(
      source,
      `it names a repository path longer than ${REPOSITORY_PATH_MAX_LENGTH} characters, which no image can have`,
    );
  }

  const components = normalizedName.split('/');
  if (kind === 'glob' && (isPrefix || components.at(-1) === GLOBSTAR)) {
    // "Everything below": one or more further components, never the parent itself.
    if (components.at(-1) === GLOBSTAR) components.pop();
    components.push('*', GLOBSTAR);
  }
  const matches = matcherFor(kind, normalized, components, spansHosts);
  const pattern: CompiledPattern = { source, normalized, kind, index, components, spansHosts, matches };
  return { pattern, warnings: warningsFor(source, split, kind, components, normalized) };
}

function fail(source: unknown, what: string): never {
  const shown = typeof source === 'string' ? JSON.stringify(source) : String(source);
  throw new PullguardError('POLICY_BAD_PATTERN', `invalid image pattern ${shown}: ${what}`);
}

function matcherFor(
  kind: ImagePattern['kind'],
  normalized: string,
  components: readonly string[],
  spansHosts: boolean,
): (name: string) => boolean {
  if (kind === 'exact') return (name) => canonicalHostName(name) === normalized;
  if (kind === 'prefix') return (name) => canonicalHostName(name).startsWith(normalized);
  if (spansHosts) return (name) => componentsMatch(components, canonicalHostName(name).split('/'), 0);
  const host = splitHost(components[0] ?? '');
  return (name) => {
    const parts = canonicalHostName(name).split('/');
    return hostMatches(host, parts[0] ?? '') && componentsMatch(components, parts, 1);
  };
}

function warningsFor(
  source: string,
  split: ReturnType<typeof splitDockerDomain> | undefined,
  kind: ImagePattern['kind'],
  components: readonly string[],
  normalized: string,
): string[] {
  if (kind !== 'exact' || split === undefined) return [];
  if (!source.includes('/') && (source.includes('.') || source === 'localhost')) {
    return [
      `${source} has no '/', so it names the Docker Hub image ${normalized}; write ${source}/ to allow everything on the host ${source}`,
    ];
  }
  if (split.written !== undefined && split.domain !== DEFAULT_DOMAIN && components.length === 2) {
    return [
      `${source} matches only the exact repository ${normalized}; add a trailing / to allow everything below it`,
    ];
  }
  return [];
}
