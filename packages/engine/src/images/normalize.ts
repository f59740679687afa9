/**
 * Docker Hub normalization of github.com/distribution/reference v0.6.0 (normalize.go):
 * `splitDockerDomain` decides whether the first path component is a registry host, and
 * `familiarizeName` shortens a normalized name back to the docker CLI's form.
 */

/** normalize.go `defaultDomain`. */
export const DEFAULT_DOMAIN = 'docker.io';
/** normalize.go `legacyDefaultDomain`: canonicalized to `docker.io`. */
export const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
/** normalize.go `officialRepoPrefix`. */
export const OFFICIAL_REPO_PREFIX = 'library/';
/** regexp.go `localhost`: always a domain, even without a dot or port. */
export const LOCALHOST = 'localhost';

export interface DomainSplit {
  /**
   * The first component when normalize.go treats it as a registry host (as written, so
   * `index.docker.io` stays `index.docker.io` here); undefined when Docker Hub is implied.
   */
  written: string | undefined;
  /** The domain after canonicalization: `docker.io` when implied or written as `index.docker.io`. */
  domain: string;
  /** Offset in the input where the remote name (path, then tag/digest) starts. */
  remoteStart: number;
  /** `library/` when a Docker Hub name has a single component (`nginx` → `library/nginx`). */
  officialPrefix: string;
}

/**
 * normalize.go v0.6.0 `splitDockerDomain`: the text before the first `/` is a domain when it is
 * `localhost`, `index.docker.io`, contains `.` or `:`, or is not lowercase (uppercase is never valid
 * in a repository path, so `Foo/bar` names the host `Foo`). Anything else is a Docker Hub path;
 * a Docker Hub name of one component gets the `library/` prefix. A name without `/` is always a
 * Docker Hub official image (so bare `localhost` or `example.com` are repositories, as upstream).
 */
export function splitDockerDomain(input: string): DomainSplit {
  const slash = input.indexOf('/');
  if (slash === -1) {
    return {
      written: undefined,
      domain: DEFAULT_DOMAIN,
      remoteStart: 0,
      officialPrefix: OFFICIAL_REPO_PREFIX,
    };
  }
  const first = input.slice(0, slash);
  let split: DomainSplit;
  if (
    first === LOCALHOST ||
    first === LEGACY_DEFAULT_DOMAIN ||
    first.includes('.') ||
    first.includes(':') ||
    first.toLowerCase() !== first
  ) {
    const domain = first === LEGACY_DEFAULT_DOMAIN ? DEFAULT_DOMAIN : first;
    split = { written: first, domain, remoteStart: slash + 1, officialPrefix: '' };
  } else {
    split = { written: undefined, domain: DEFAULT_DOMAIN, remoteStart: 0, officialPrefix: '' };
  }
  if (split.domain === DEFAULT_DOMAIN && input.indexOf('/', split.remoteStart) === -1) {
    split.officialPrefix = OFFICIAL_REPO_PREFIX;
  }
  return split;
}

/**
 * normalize.go v0.6.0 `familiarizeName`: drop `docker.io/`, and `library/` when what follows has
 * no further `/` (`docker.io/library/a/b` stays `library/a/b`).
 */
export function familiarizeName(domain: string, path: string): string {
  if (domain !== DEFAULT_DOMAIN) return domain === '' ? path : `${domain}/${path}`;
  if (path.startsWith(OFFICIAL_REPO_PREFIX) && path.indexOf('/', OFFICIAL_REPO_PREFIX.length) === -1) {
    return path.slice(OFFICIAL_REPO_PREFIX.length);
  }
  return path;
}
