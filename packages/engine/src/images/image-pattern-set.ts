/**
 * Lists of image patterns (allowlists, denylists, exemptions), compiled once and matched with an
 * index: the most specific pattern wins (exact, else the longest prefix, else the first glob
 * listed), and a list matches the spellings its purpose calls for (`PatternSpellings`).
 */
import {
  type CompiledPattern,
  compilePattern,
  type ImagePattern,
  type PatternSpellings,
} from './image-pattern.js';
import { canonicalHostName } from './pattern-glob.js';
import { canonicalRegistryName, hostSpellings, pathSpellings } from './registry-aliases.js';

export type { PatternSpellings };

export interface ImagePatternSet {
  readonly size: number;
  /** The most specific matching pattern: exact, else the longest prefix, else the first glob listed. */
  match(name: string): ImagePattern | undefined;
}

/** Never throws: problems carry the index of the offending pattern. Matching is indexed (1,000 patterns ≈ 10). */
export function compileImagePatternSet(
  sources: readonly string[],
  spellings: PatternSpellings = 'exact',
): {
  set: ImagePatternSet;
  problems: { index: number; message: string; severity: 'error' | 'warning' }[];
} {
  const problems: { index: number; message: string; severity: 'error' | 'warning' }[] = [];
  const patterns: CompiledPattern[] = [];
  sources.forEach((source, index) => {
    try {
      const { pattern, warnings } = compilePattern(source, index, spellings);
      patterns.push(pattern);
      for (const message of warnings) problems.push({ index, message, severity: 'warning' });
    } catch (error) {
      problems.push({
        index,
        message: error instanceof Error ? error.message : String(error),
        severity: 'error',
      });
    }
  });
  return { set: indexPatterns(patterns, spellings), problems };
}

interface TrieNode {
  readonly children: Map<string, TrieNode>;
  /** A prefix pattern ending here (the shortest source index wins on duplicates). */
  prefix: CompiledPattern | undefined;
  /** Globs whose leading literal components lead here (with a literal host). */
  readonly globs: CompiledPattern[];
}

const newNode = (): TrieNode => ({ children: new Map(), prefix: undefined, globs: [] });

/**
 * Exact names in a Map; prefixes and globs with a literal host in a trie keyed by components,
 * globs stored at their last literal leading component; globs with a wildcard host (or a
 * leading `**`) in a Map keyed by their literal trailing host labels (`*.acme.io` → `acme.io`),
 * looked up with each label suffix of the name's host. A lookup touches only patterns that
 * share the name's leading components, so it costs about the same for 10 or 1,000 patterns.
 */
function indexPatterns(patterns: readonly CompiledPattern[], spellings: PatternSpellings): ImagePatternSet {
  const exact = new Map<string, CompiledPattern>();
  const root = newNode();
  const wildHosts = new Map<string, CompiledPattern[]>();
  for (const pattern of patterns) {
    if (pattern.kind === 'exact') {
      if (!exact.has(pattern.normalized)) exact.set(pattern.normalized, pattern);
      continue;
    }
    const literal = pattern.kind === 'prefix' ? pattern.components : leadingLiterals(pattern.components);
    if (pattern.kind === 'glob' && literal.length === 0) {
      const key = literalHostSuffix(pattern.components[0] ?? '');
      const bucket = wildHosts.get(key) ?? [];
      bucket.push(pattern);
      wildHosts.set(key, bucket);
      continue;
    }
    let node = root;
    for (const component of literal) {
      let child = node.children.get(component);
      if (child === undefined) {
        child = newNode();
        node.children.set(component, child);
      }
      node = child;
    }
    if (pattern.kind === 'prefix') node.prefix ??= pattern;
    else node.globs.push(pattern);
  }

  return {
    size: patterns.length,
    match(name: string): ImagePattern | undefined {
      const lowercase = canonicalHostName(name);
      const canonical = spellings === 'exact' ? lowercase : canonicalRegistryName(lowercase);
      const hit = exact.get(canonical);
      if (hit) return hit;
      const parts = canonical.split('/');
      let prefix: CompiledPattern | undefined;
      let glob: CompiledPattern | undefined;
      let node: TrieNode | undefined = root;
      for (let depth = 0; node !== undefined; depth++) {
        if (node.prefix && depth < parts.length) prefix = node.prefix;
        if (node.globs.length > 0) glob = firstMatch(node.globs, canonical, glob);
        node = depth < parts.length ? node.children.get(parts[depth] ?? '') : undefined;
      }
      if (prefix) return prefix;
      // Most sets have no pattern with a wildcard host: then there is nothing more to look up.
      if (wildHosts.size === 0) return glob;
      // A raw string without `/` (exemptions match unparseable images as written) is all host.
      const slash = canonical.includes('/') ? canonical.indexOf('/') : canonical.length;
      const host = canonical.slice(0, slash);
      const path = canonical.slice(slash);
      if (spellings === 'exact') return wildHostMatch(wildHosts, host, [path], glob);
      const paths = pathSpellings(host, path);
      for (const spelling of hostSpellings(host)) glob = wildHostMatch(wildHosts, spelling, paths, glob);
      return glob;
    },
  };
}

/**
 * `glob`, or an earlier listed pattern with a wildcard host that matches `host` followed by one of
 * `paths`: the patterns are found by the host's label suffixes (`a.b.io` → `a.b.io`, `b.io`,
 * `io`, ``), without building names until a bucket has candidates.
 */
function wildHostMatch(
  wildHosts: ReadonlyMap<string, readonly CompiledPattern[]>,
  host: string,
  paths: readonly string[],
  glob: CompiledPattern | undefined,
): CompiledPattern | undefined {
  let from = 0;
  for (;;) {
    const bucket = wildHosts.get(host.slice(from));
    if (bucket !== undefined) for (const path of paths) glob = firstMatch(bucket, host + path, glob);
    if (from > host.length) return glob;
    const dot = host.indexOf('.', from);
    from = dot === -1 ? host.length + 1 : dot + 1;
  }
}

/** The first listed of `candidates` (or `best`, if listed earlier) that matches `name`. */
function firstMatch(
  candidates: readonly CompiledPattern[],
  name: string,
  best: CompiledPattern | undefined,
): CompiledPattern | undefined {
  for (const candidate of candidates) {
    if ((best === undefined || candidate.index < best.index) && candidate.matches(name)) best = candidate;
  }
  return best;
}

/** The components before the first one with a wildcard. */
function leadingLiterals(components: readonly string[]): string[] {
  const firstWild = components.findIndex((component) => component.includes('*'));
  return components.slice(0, firstWild === -1 ? components.length : firstWild);
}

/** `*.acme.io` → `acme.io`; `reg.*` → ``; `**` → ``: the host labels after the last wildcard. */
function literalHostSuffix(host: string): string {
  const labels = host.split('.');
  let first = labels.length;
  while (first > 0 && !labels[first - 1]?.includes('*')) first--;
  return labels.slice(first).join('.');
}
