import { PullguardError } from '../errors.js';
import { LruMap } from '../lru-map.js';
import type { ImageReference } from '../types.js';
import { checkDigestSemantics } from './digest.js';
import { familiarizeName, splitDockerDomain } from './normalize.js';
import {
  checkDigestSyntax,
  checkDomain,
  checkRemoteName,
  checkTag,
  type GrammarProblem,
  isIdentifier,
  isPathComponent,
} from './reference-grammar.js';

/**
 * Image references exactly as Kubernetes reads them: `ParseNormalizedNamed` of
 * github.com/distribution/reference v0.6.0 (normalize.go) with digests validated by
 * github.com/opencontainers/go-digest v1.0.0. Kubernetes uses this parse both to default
 * `imagePullPolicy` (pkg/util/parsers/parsers.go `ParseImageName`) and in kubelet before pulling.
 */

/**
 * reference.go v0.6.0 `RepositoryNameTotalLengthMax` (formerly `NameTotalLengthMax`): `Parse`
 * checks `len(repo.path) > RepositoryNameTotalLengthMax`, the repository path without its domain
 * (commit aaca75e "Exclude domain from name length check", first released in v0.6.0, the version
 * Kubernetes pins). The path is measured after normalization, so `nginx` counts as
 * `library/nginx`; a name whose first component is not a valid host has no domain, and all of it
 * is path.
 */
export const REPOSITORY_PATH_MAX_LENGTH = 255;

/**
 * Longer input is rejected before any scanning, so huge strings cost nothing and never enter the
 * cache. The grammar does not bound the registry host, but DNS does (RFC 1035: 253 characters,
 * and a port of at most 5 digits): a reference with a resolvable host, a 255-character path,
 * `:` and a 128-character tag, `@` and a sha512 digest (135) has at most 259 + 1 + 255 + 1 + 128
 * + 1 + 135 = 780 characters (+16 when written as `index.docker.io/`). Only a host no registry
 * can have is cut off by this limit.
 */
export const REFERENCE_MAX_LENGTH = 1024;

/** `ko://…`, `docker://…`, `https://…`: never valid (the ':' would start an empty port). */
const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

export type ImageReferenceResult =
  | { readonly ok: true; readonly reference: ImageReference }
  | { readonly ok: false; readonly error: PullguardError };

export interface ImageParser {
  /** Throws PullguardError `INVALID_IMAGE_REFERENCE` with a message saying what is wrong and where. */
  parse(input: string): ImageReference;
  /** Never throws; memoized, so repeated strings cost one cache lookup. */
  tryParse(input: string): ImageReferenceResult;
}

/** A parser with its own bounded memo (LRU, `max` entries, default 10,000): docs/performance-invariants.md#bounded-memos. */
export function createImageParser(options: { max?: number } = {}): ImageParser {
  const cache = new LruMap<string, ImageReferenceResult>(options.max ?? 10_000);
  const tryParse = (input: string): ImageReferenceResult => {
    if (typeof input !== 'string') return parseUncached(input);
    let result = cache.get(input);
    if (result === undefined) {
      result = parseUncached(input);
      if (input.length <= REFERENCE_MAX_LENGTH) cache.set(input, result);
    }
    return result;
  };
  return {
    tryParse,
    parse(input) {
      const result = tryParse(input);
      if (result.ok) return result.reference;
      // A fresh error per throw: the cached one would carry a stale stack.
      throw new PullguardError(result.error.code, result.error.message);
    },
  };
}

const defaultParser = createImageParser();

/** Parses and normalizes an image reference; throws PullguardError `INVALID_IMAGE_REFERENCE`. */
export function parseImageReference(input: string): ImageReference {
  return defaultParser.parse(input);
}

/** Like parseImageReference, but returns the error instead of throwing (memoized). */
export function tryParseImageReference(input: string): ImageReferenceResult {
  return defaultParser.tryParse(input);
}

/**
 * A result's error is memoized and shared by every image that repeats the string, so its stack
 * would say where the string was first met, which is noise (`parse` throws a fresh error). Not
 * capturing it makes an invalid reference cost about what a valid one does (9 µs → 1 µs here):
 * real repositories hold plenty (`ko://…`, `<your-image>`, unrendered templates).
 * docs/performance-invariants.md#memoized-errors-without-a-stack
 */
function withoutStack<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** `input` is typed as a string, but JavaScript callers and untyped YAML can pass anything. */
function parseUncached(input: unknown): ImageReferenceResult {
  const parsed = typeof input === 'string' ? parseNormalizedNamed(input) : notAString(input);
  if ('message' in parsed) {
    const error = withoutStack(
      () =>
        new PullguardError('INVALID_IMAGE_REFERENCE', `invalid reference ${quote(input)}: ${parsed.message}`),
    );
    return Object.freeze({ ok: false, error });
  }
  return Object.freeze({ ok: true, reference: parsed });
}

function notAString(input: unknown): GrammarProblem {
  return { message: `expected a string, got ${input === null ? 'null' : typeof input}`, offset: 0 };
}

/** normalize.go v0.6.0 `ParseNormalizedNamed`, then reference.go `Parse` on `domain/remainder`. */
function parseNormalizedNamed(input: string): ImageReference | GrammarProblem {
  if (input.length === 0) return { message: 'the image reference is empty', offset: 0 };
  if (input.length > REFERENCE_MAX_LENGTH) {
    return {
      message: `it is ${input.length} characters long; no valid image reference exceeds ${REFERENCE_MAX_LENGTH}`,
      offset: REFERENCE_MAX_LENGTH,
    };
  }
  // `includes` first: a RegExp exec is the dearest step of parsing a string met for the first time.
  const scheme = input.includes('://') ? URL_SCHEME.exec(input) : null;
  if (scheme) {
    // Grammatically "ko:" is a host with an empty port; say what the author most likely did instead.
    return {
      message: `it starts with the URL scheme "${scheme[0]}": image references have no scheme`,
      offset: 0,
    };
  }
  if (isIdentifier(input)) {
    return {
      message: 'a 64-character hex string is an image ID, not a repository name (write name@sha256:<hex>)',
      offset: 0,
    };
  }

  const split = splitDockerDomain(input);
  const { written, officialPrefix } = split;
  let { domain, remoteStart } = split;
  const nameEnd = endOfName(input, remoteStart);
  if (written !== undefined && domain === written) {
    const problem = checkDomain(input, 0, remoteStart - 1);
    if (problem) {
      // reference.go `Parse` re-matches `domain/remainder` with an optional domain: when the first
      // component is not a valid host but is a valid path component (`foo_bar.com/x`), the whole
      // name is a path with no domain at all. Kept as upstream has it (see the tests).
      if (!isPathComponent(input, 0, remoteStart - 1)) return problem;
      domain = '';
      remoteStart = 0;
    }
  }
  const pathProblem = checkRemoteName(input, remoteStart, nameEnd);
  if (pathProblem) return pathProblem;

  let tag: string | undefined;
  let digest: string | undefined;
  let digestColon = -1;
  let cursor = nameEnd;
  if (input.charCodeAt(cursor) === 0x3a /* : */) {
    const at = input.indexOf('@', cursor + 1);
    const tagEnd = at === -1 ? input.length : at;
    const problem = checkTag(input, cursor + 1, tagEnd);
    if (problem) return problem;
    tag = input.slice(cursor + 1, tagEnd);
    cursor = tagEnd;
  }
  if (input.charCodeAt(cursor) === 0x40 /* @ */) {
    const colonOrProblem = checkDigestSyntax(input, cursor + 1, input.length);
    if (typeof colonOrProblem !== 'number') return colonOrProblem;
    digestColon = colonOrProblem;
    digest = input.slice(cursor + 1);
  }

  const path = officialPrefix + input.slice(remoteStart, nameEnd);
  if (path.length > REPOSITORY_PATH_MAX_LENGTH) {
    return {
      message: `the repository path "${truncate(path, 60)}" is ${path.length} characters long; at most ${REPOSITORY_PATH_MAX_LENGTH} are allowed (the registry host does not count)`,
      offset: nameEnd,
    };
  }
  const name = domain === '' ? path : `${domain}/${path}`;
  if (digest !== undefined) {
    const problem = checkDigestSemantics(input, cursor + 1, digestColon, input.length);
    if (problem) return problem;
  }

  let familiar = familiarizeName(domain, path);
  if (tag !== undefined) familiar += `:${tag}`;
  if (digest !== undefined) familiar += `@${digest}`;
  return Object.freeze({ domain, path, name, tag, digest, familiar });
}

/** The name ends at the first ':' or '@' after the domain (neither can appear in a path). */
function endOfName(input: string, from: number): number {
  for (let i = from; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c === 0x3a || c === 0x40) return i;
  }
  return input.length;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The input as shown in messages: JSON-quoted (so `\n` is visible) and cut to 100 characters. */
function quote(input: unknown): string {
  return typeof input === 'string' ? JSON.stringify(truncate(input, 100)) : String(input);
}
