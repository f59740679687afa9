/**
 * Name globs for namespaces and workloads: `*` matches any run of characters (also none), `?`
 * exactly one. The alphabet is restricted to what Kubernetes allows in the names being matched,
 * so a glob is never interpreted as a regular expression and cannot contain surprises.
 */
import { isPullguardError, PullguardError } from '../errors.js';
import { wildcardMatch } from '../wildcard.js';

export interface GlobSyntax {
  /** What the glob names, for messages: `namespace`. */
  what: string;
  /** One allowed literal character. */
  literal: RegExp;
  /** How the allowed characters read in a message. */
  literalDescription: string;
  /** A name without wildcards must match this to be able to match anything. */
  validName: RegExp;
  validNameDescription: string;
  maxLength: number;
}

/** Namespace names are RFC 1123 DNS labels (k8s.io/apimachinery/pkg/util/validation IsDNS1123Label). */
export const NAMESPACE_GLOB: GlobSyntax = {
  what: 'namespace',
  literal: /^[a-z0-9-]$/,
  literalDescription: 'lowercase letters, digits and "-"',
  validName: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
  validNameDescription: 'a DNS label (lowercase letters, digits and "-", starting and ending alphanumeric)',
  maxLength: 63,
};

/** Object names are RFC 1123 DNS subdomains (IsDNS1123Subdomain). */
export const OBJECT_NAME_GLOB: GlobSyntax = {
  what: 'workload name',
  literal: /^[a-z0-9.-]$/,
  literalDescription: 'lowercase letters, digits, "-" and "."',
  validName: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
  validNameDescription: 'a DNS subdomain',
  maxLength: 253,
};

/** Kinds are CamelCase identifiers (`Deployment`, `CronJob`). */
export const KIND_GLOB: GlobSyntax = {
  what: 'kind',
  literal: /^[A-Za-z0-9]$/,
  literalDescription: 'letters and digits',
  validName: /^[A-Za-z][A-Za-z0-9]*$/,
  validNameDescription: 'a kind such as Deployment',
  maxLength: 63,
};

export interface Glob {
  readonly source: string;
  /** `all`: the glob is `*`. `exact`: no wildcard. `wildcard`: anything else. */
  readonly kind: 'all' | 'exact' | 'wildcard';
  /** The literal characters before the first wildcard (indexes wildcard globs by prefix). */
  readonly prefix: string;
  matches(name: string): boolean;
}

/** Throws PullguardError POLICY_BAD_GLOB saying what is wrong with `source`. */
export function compileGlob(source: string, syntax: GlobSyntax): Glob {
  const bad = (why: string): never => {
    throw new PullguardError('POLICY_BAD_GLOB', `${syntax.what} glob "${source}" ${why}`);
  };
  if (source.length === 0) bad('is empty');
  if (source.length > syntax.maxLength) bad(`is longer than ${syntax.maxLength} characters`);
  for (const char of source) {
    if (char !== '*' && char !== '?' && !syntax.literal.test(char)) {
      bad(`contains "${char}": only ${syntax.literalDescription}, "*" and "?" are allowed`);
    }
  }
  if (source === '*') return { source, kind: 'all', prefix: '', matches: () => true };
  const firstWildcard = source.search(/[*?]/);
  if (firstWildcard === -1) {
    if (!syntax.validName.test(source))
      bad(`can never match: a ${syntax.what} is ${syntax.validNameDescription}`);
    return { source, kind: 'exact', prefix: source, matches: (name) => name === source };
  }
  return {
    source,
    kind: 'wildcard',
    prefix: source.slice(0, firstWildcard),
    matches: (name) => wildcardMatch(source, name),
  };
}

/**
 * A workload glob `Kind/name` (`Deployment/batch-*`, `CronJob/nightly`, a `*` kind for any kind):
 * both parts are globs; the kind is compared case-sensitively, as the API server does.
 */
export interface WorkloadGlob {
  readonly source: string;
  matches(kind: string, name: string): boolean;
}

export function compileWorkloadGlob(source: string): WorkloadGlob {
  const slash = source.indexOf('/');
  if (slash === -1 || source.indexOf('/', slash + 1) !== -1) {
    throw new PullguardError(
      'POLICY_BAD_GLOB',
      `workload glob "${source}" must have the form Kind/name, e.g. "Deployment/batch-*" or "*/legacy-app"`,
    );
  }
  const kind = compileGlob(source.slice(0, slash), KIND_GLOB);
  const name = compileGlob(source.slice(slash + 1), OBJECT_NAME_GLOB);
  return { source, matches: (k, n) => kind.matches(k) && name.matches(n) };
}

/** Compiles each glob of a list, reporting each bad one's message at its index. */
export function compileAll<T>(
  sources: readonly string[] | undefined,
  compile: (source: string) => T,
  report: (index: number, message: string) => void,
): T[] | undefined {
  if (sources === undefined) return undefined;
  const compiled: T[] = [];
  sources.forEach((source, index) => {
    try {
      compiled.push(compile(source));
    } catch (error) {
      if (!isPullguardError(error)) throw error;
      report(index, error.message);
    }
  });
  return compiled;
}
