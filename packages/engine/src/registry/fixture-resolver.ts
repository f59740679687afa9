/**
 * A registry resolver answering from fixtures: for `pullguard test` files, the playground and
 * embedders' tests. Pure (no I/O, no Node APIs: it runs in a browser) and closed-world: a tag or
 * digest the fixtures do not name does not exist (404), as in a real registry.
 *
 * ```yaml
 * nginx:1.25: sha256:0d8f…                 # tag → digest of a single-platform manifest
 * ghcr.io/acme/api:2.3:                     # tag → a multi-platform image (OCI index)
 *   digest: sha256:4a1b…
 *   index: true
 * ghcr.io/acme/api@sha256:77aa…: exists     # a digest that no tag names (any tag's digest exists)
 * ghcr.io/acme/api:typo: not-found          # or 404
 * private.acme.io/app:1: unauthorized       # or 401; rate-limited (429), timeout, unreachable, tls
 * down.acme.io/*: unreachable               # every repository under a prefix (host or path)
 * slow.acme.io/app:1: { error: timeout, message: no answer in 5 s }
 * ```
 *
 * Keys are image references as manifests write them, normalized as Kubernetes does (`nginx:1.25` is
 * `docker.io/library/nginx:1.25`); they need a tag or a digest. A key ending in `/*` matches every
 * reference whose normalized `registry/repository` starts with the text before `*`. Exact keys
 * win over prefixes, longer prefixes over shorter ones.
 */
import { formatFieldPath } from '../documents/field-path.js';
import { PullguardAggregateError } from '../errors.js';
import { tryParseImageReference } from '../images/image-reference.js';
import type {
  RegistryFailureKind,
  RegistryReference,
  RegistryResolver,
  Resolution,
  ResolvedManifest,
} from '../registry-contract.js';
import { type Clock, systemClock } from '../types.js';
import { digestProblem } from './lookups.js';
import { endpointHost, failureHint, REGISTRY_FAILURE_KINDS } from './registry-host.js';

export type RegistryFixtureAnswer =
  | string
  | number
  | {
      readonly digest: string;
      readonly index?: boolean | undefined;
      readonly mediaType?: string | undefined;
      readonly stale?: boolean | undefined;
    }
  | {
      readonly error: RegistryFailureKind | number;
      readonly message?: string | undefined;
      readonly hint?: string | undefined;
    };

/** Reference (or `prefix/*`) → answer. */
export type RegistryFixtures = Readonly<Record<string, RegistryFixtureAnswer>>;

/** A mistake in fixtures: `path` below the fixtures object (`["nginx:1.25", "digest"]`). */
export interface RegistryFixtureProblem {
  path: readonly string[];
  message: string;
  /** The key itself is wrong (not its answer). */
  atKey?: boolean | undefined;
}

type Answer =
  | { kind: 'manifest'; digest: string; index: boolean; mediaType: string; stale: boolean }
  | { kind: 'exists' }
  | {
      kind: 'failure';
      failure: RegistryFailureKind;
      status: number | undefined;
      message?: string | undefined;
      hint?: string | undefined;
    };

interface CompiledFixtures {
  /** `registry/repository:tag` or `registry/repository@digest` → answer. */
  exact: Map<string, Answer>;
  /** `registry/repository` → digests its tags name (so those digests exist). */
  digests: Map<string, Map<string, Answer & { kind: 'manifest' }>>;
  /** Longest first. */
  prefixes: { prefix: string; answer: Answer }[];
}

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

const STATUS_KINDS: ReadonlyMap<number, RegistryFailureKind> = new Map([
  [401, 'unauthorized'],
  [403, 'unauthorized'],
  [404, 'not-found'],
  [429, 'rate-limited'],
]);
const KIND_STATUS: Partial<Record<RegistryFailureKind, number>> = {
  unauthorized: 401,
  'not-found': 404,
  'rate-limited': 429,
};
const FAILURE_KINDS = REGISTRY_FAILURE_KINDS;
const EXPECTED = `a digest (sha256:…), { digest, index }, exists, a failure (${FAILURE_KINDS.join(', ')}), an HTTP status (401, 403, 404, 429) or { error, message }`;

/** Every mistake in `value` as fixtures, each with its path; empty when they are valid. */
export function registryFixtureProblems(value: unknown): RegistryFixtureProblem[] {
  return compile(value).problems;
}

/**
 * A resolver answering from `fixtures`. Throws PullguardAggregateError (CONFIG_INVALID, one
 * diagnostic per mistake, `field` naming the key) when they are invalid.
 */
export function createFixtureResolver(
  fixtures: RegistryFixtures,
  options: { clock?: Clock | undefined } = {},
): RegistryResolver {
  const { compiled, problems } = compile(fixtures);
  if (problems.length > 0) {
    throw new PullguardAggregateError(
      'invalid registry fixtures',
      problems.map((p) => ({
        code: 'CONFIG_INVALID' as const,
        message: p.message,
        field: formatFieldPath(p.path),
        severity: 'error' as const,
      })),
    );
  }
  const clock = options.clock ?? systemClock;
  return {
    resolve(reference, resolveOptions) {
      const host = endpointHost(reference.registry);
      if (resolveOptions?.signal?.aborted) {
        return Promise.resolve(
          failure(reference, host, { kind: 'failure', failure: 'timeout', status: undefined }),
        );
      }
      const answer = lookUp(compiled, reference);
      if (answer.kind === 'failure') return Promise.resolve(failure(reference, host, answer));
      const manifest: ResolvedManifest =
        answer.kind === 'exists'
          ? {
              digest: reference.digest!,
              mediaType: OCI_MANIFEST,
              index: false,
              stale: false,
              resolvedAt: clock.now(),
            }
          : {
              digest: answer.digest,
              mediaType: answer.mediaType,
              index: answer.index,
              stale: answer.stale,
              resolvedAt: clock.now(),
            };
      return Promise.resolve({ ok: true, manifest });
    },
  };
}

function lookUp(compiled: CompiledFixtures, reference: RegistryReference): Answer {
  const repository = `${reference.registry}/${reference.repository}`;
  const digest = reference.digest;
  const exact = compiled.exact.get(
    digest === undefined ? `${repository}:${reference.tag ?? 'latest'}` : `${repository}@${digest}`,
  );
  if (exact !== undefined) return exact;
  if (digest !== undefined) {
    const named = compiled.digests.get(repository)?.get(digest);
    if (named !== undefined) return named;
  }
  for (const { prefix, answer } of compiled.prefixes) {
    if (`${repository}/`.startsWith(prefix)) return answer;
  }
  return NOT_FOUND;
}

const NOT_FOUND: Answer = { kind: 'failure', failure: 'not-found', status: 404 };

function failure(
  reference: RegistryReference,
  host: string,
  answer: Answer & { kind: 'failure' },
): Resolution {
  const what =
    reference.digest === undefined
      ? `${reference.repository}:${reference.tag ?? 'latest'}`
      : `${reference.repository}@${reference.digest}`;
  const status = answer.status ?? KIND_STATUS[answer.failure];
  return {
    ok: false,
    failure: {
      kind: answer.failure,
      host,
      message: answer.message ?? defaultMessage(answer.failure, host, what, status),
      hint: answer.hint ?? failureHint(answer.failure, host),
      status,
    },
  };
}

function defaultMessage(
  kind: RegistryFailureKind,
  host: string,
  what: string,
  status: number | undefined,
): string {
  const code = status === undefined ? '' : ` (${status})`;
  switch (kind) {
    case 'not-found':
      return `${host} has no manifest ${what}${code}`;
    case 'unauthorized':
      return `${host} refused to serve ${what} without valid credentials${code}`;
    case 'rate-limited':
      return `${host} is rate limiting requests${code}`;
    case 'timeout':
      return `${host} did not answer in time`;
    case 'unreachable':
      return `${host} cannot be reached`;
    case 'tls':
      return `${host}'s certificate is not trusted`;
    case 'protocol':
      return `${host} did not answer as an OCI registry`;
  }
}

function compile(value: unknown): { compiled: CompiledFixtures; problems: RegistryFixtureProblem[] } {
  const compiled: CompiledFixtures = { exact: new Map(), digests: new Map(), prefixes: [] };
  const problems: RegistryFixtureProblem[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ path: [], message: 'registry fixtures must be a map of image reference → answer' });
    return { compiled, problems };
  }
  for (const [key, written] of Object.entries(value)) {
    const problem = (message: string, field?: string) =>
      problems.push({ path: field === undefined ? [key] : [key, field], message });
    const keyProblem = (message: string) => problems.push({ path: [key], message, atKey: true });
    const answer = compileAnswer(written, problem);
    if (answer === undefined) continue;
    const digestKey = key.includes('@');
    if (answer.kind === 'exists' && !digestKey) {
      problem('only a digest can merely exist: write name@sha256:…: exists, or give a tag its digest');
      continue;
    }
    if (key.endsWith('/*')) {
      const prefix = key.slice(0, -1);
      if (prefix.length < 2) keyProblem('a prefix needs a registry or repository before `/*`');
      else compiled.prefixes.push({ prefix, answer });
      continue;
    }
    const parsed = tryParseImageReference(key);
    if (!parsed.ok) {
      keyProblem(`"${key}" is not an image reference: ${parsed.error.message}`);
      continue;
    }
    const { name, tag, digest } = parsed.reference;
    if (tag === undefined && digest === undefined) {
      keyProblem(
        `"${key}" names neither a tag nor a digest (write ${key}:TAG, ${key}@sha256:…, or ${key}/* for a prefix)`,
      );
      continue;
    }
    if (tag !== undefined && digest !== undefined) {
      keyProblem(
        `"${key}" has both a tag and a digest: give the tag (name:tag) or the digest (name@sha256:…)`,
      );
      continue;
    }
    if (digest !== undefined && answer.kind === 'manifest' && answer.digest !== digest) {
      problem(`the key pins ${digest}, its answer names ${answer.digest}`, 'digest');
      continue;
    }
    compiled.exact.set(digest === undefined ? `${name}:${tag}` : `${name}@${digest}`, answer);
    if (answer.kind === 'manifest') {
      const digests = compiled.digests.get(name) ?? new Map();
      compiled.digests.set(name, digests);
      digests.set(answer.digest, answer);
    }
  }
  compiled.prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
  return { compiled, problems };
}

function compileAnswer(
  written: unknown,
  problem: (message: string, field?: string) => void,
): Answer | undefined {
  if (typeof written === 'number') {
    const kind = STATUS_KINDS.get(written);
    if (kind === undefined)
      return void problem(`HTTP status ${written} is not a fixture answer; expected ${EXPECTED}`);
    return { kind: 'failure', failure: kind, status: written };
  }
  if (typeof written === 'string') {
    if (written === 'exists') return { kind: 'exists' };
    if (FAILURE_KINDS.includes(written as RegistryFailureKind)) {
      return { kind: 'failure', failure: written as RegistryFailureKind, status: undefined };
    }
    if (/^\d{3}$/.test(written)) return compileAnswer(Number(written), problem);
    return manifest(written, false, OCI_MANIFEST, false, problem, undefined);
  }
  if (typeof written !== 'object' || written === null || Array.isArray(written)) {
    return void problem(`expected ${EXPECTED}`);
  }
  const record = written as Record<string, unknown>;
  if ('error' in record) {
    for (const key of Object.keys(record)) {
      if (!['error', 'message', 'hint'].includes(key))
        return void problem(`unknown field "${key}" (a failure has error, message, hint)`, key);
    }
    const inner = compileAnswer(record['error'], (message) => problem(message, 'error'));
    if (inner === undefined) return undefined;
    if (inner.kind !== 'failure')
      return void problem(`error must be a failure (${FAILURE_KINDS.join(', ')}) or an HTTP status`, 'error');
    for (const key of ['message', 'hint'] as const) {
      if (record[key] !== undefined && typeof record[key] !== 'string')
        return void problem(`${key} must be a string`, key);
    }
    return {
      ...inner,
      message: record['message'] as string | undefined,
      hint: record['hint'] as string | undefined,
    };
  }
  for (const key of Object.keys(record)) {
    if (!['digest', 'index', 'mediaType', 'stale'].includes(key))
      return void problem(`unknown field "${key}" (a manifest has digest, index, mediaType, stale)`, key);
  }
  const { digest, index, mediaType, stale } = record;
  if (typeof digest !== 'string') return void problem('a manifest answer needs `digest: sha256:…`', 'digest');
  for (const [key, flag] of [
    ['index', index],
    ['stale', stale],
  ] as const) {
    if (flag !== undefined && typeof flag !== 'boolean')
      return void problem(`${key} must be true or false`, key);
  }
  if (mediaType !== undefined && typeof mediaType !== 'string')
    return void problem('mediaType must be a string', 'mediaType');
  return manifest(
    digest,
    index === true,
    (mediaType as string | undefined) ?? (index === true ? OCI_INDEX : OCI_MANIFEST),
    stale === true,
    problem,
    'digest',
  );
}

function manifest(
  digest: string,
  index: boolean,
  mediaType: string,
  stale: boolean,
  problem: (message: string, field?: string) => void,
  field: string | undefined,
): Answer | undefined {
  const why = digestProblem(digest);
  if (why !== undefined)
    return void problem(`"${digest}" is not a digest (${why}); expected ${EXPECTED}`, field);
  return { kind: 'manifest', digest, index, mediaType, stale };
}
