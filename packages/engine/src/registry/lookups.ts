/**
 * The registry lookups of one run (an evaluation, a `fix --pin-digests`, a `drift`): each distinct
 * reference is asked once (concurrent askers share the answer), every lookup is bounded by the
 * caller's abort signal (the admission deadline) and a timeout of its own, and whatever the
 * resolver does — throw, reject, never settle, answer garbage or a digest it was not asked about —
 * becomes a failure. So a run never hangs on, and never believes, a misbehaving resolver.
 */
import { checkDigestSemantics } from '../images/digest.js';
import { checkDigestSyntax } from '../images/reference-grammar.js';
import type {
  RegistryFailureKind,
  RegistryReference,
  RegistryResolver,
  Resolution,
} from '../registry-contract.js';
import { endpointHost, REGISTRY_FAILURE_KINDS, registryFailure } from './registry-host.js';

/** How long one lookup may take when nobody says otherwise: a backstop behind the client's own timeouts. */
export const DEFAULT_REGISTRY_TIMEOUT_MS = 30_000;

export interface RegistryLookupOptions {
  /** Aborts every lookup still running (e.g. the admission deadline); they answer `timeout`. */
  signal?: AbortSignal | undefined;
  /** Most time one lookup may take, ms (default 30 s). */
  timeoutMs?: number | undefined;
}

export interface RegistryLookups {
  /** Never rejects: every problem is a `Resolution` with `ok: false`. */
  resolve(reference: RegistryReference): Promise<Resolution>;
}

export function createRegistryLookups(
  resolver: RegistryResolver,
  options: RegistryLookupOptions = {},
): RegistryLookups {
  const answers = new Map<string, Promise<Resolution>>();
  const timeoutMs = options.timeoutMs ?? DEFAULT_REGISTRY_TIMEOUT_MS;
  return {
    resolve(reference) {
      const key = lookupKey(reference);
      let answer = answers.get(key);
      if (answer === undefined) {
        answer = bounded(resolver, reference, options.signal, timeoutMs);
        answers.set(key, answer);
      }
      return answer;
    },
  };
}

/** `registry/repository:tag@digest`: what one lookup asks (the fields cannot contain `:`/`@` ambiguously). */
function lookupKey(reference: RegistryReference): string {
  return `${reference.registry}/${reference.repository}:${reference.tag ?? ''}@${reference.digest ?? ''}`;
}

function bounded(
  resolver: RegistryResolver,
  reference: RegistryReference,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<Resolution> {
  const host = endpointHost(reference.registry);
  const fail = (kind: RegistryFailureKind, message: string): Resolution => ({
    ok: false,
    failure: registryFailure(kind, host, message),
  });
  if (signal?.aborted) return Promise.resolve(fail('timeout', `the lookup was cancelled: ${reason(signal)}`));
  return new Promise<Resolution>((resolve) => {
    // The resolver gets the caller's signal when there is one (the admission deadline, which ends
    // its work); only without one is a signal of the lookup's own made, for the timeout below to
    // end it. With a caller's signal the timeout still ends the wait, and the resolver's own
    // timeout its work. An AbortController costs several µs: per lookup, on the admission path,
    // that was a tenth of a warm pinning evaluation's time (docs/performance-invariants.md#registry-lookups-without-a-signal-of-their-own).
    const controller = signal === undefined ? new AbortController() : undefined;
    let done = false;
    const finish = (resolution: Resolution) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(resolution);
    };
    const onAbort = () => finish(fail('timeout', `the lookup was cancelled: ${reason(signal)}`));
    const timer = setTimeout(() => {
      controller?.abort(new Error(`no answer within ${timeoutMs} ms`));
      finish(fail('timeout', `no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      Promise.resolve(resolver.resolve(reference, { signal: controller?.signal ?? signal })).then(
        (answer) => finish(checked(answer, reference, fail)),
        (error: unknown) => finish(fail('protocol', `the registry resolver rejected: ${describe(error)}`)),
      );
    } catch (error) {
      finish(fail('protocol', `the registry resolver threw: ${describe(error)}`));
    }
  });
}

/**
 * The answer when it is one the contract allows, else a `protocol` failure: a digest that Kubernetes
 * would not accept, or — for a digest lookup — any digest other than the one asked about.
 */
function checked(
  answer: unknown,
  reference: RegistryReference,
  fail: (kind: RegistryFailureKind, message: string) => Resolution,
): Resolution {
  if (typeof answer !== 'object' || answer === null) return fail('protocol', 'the resolver gave no answer');
  const { ok, manifest, failure } = answer as Record<string, unknown>;
  if (ok === false && typeof failure === 'object' && failure !== null) {
    const { kind, host, message, hint, status } = failure as Record<string, unknown>;
    if (typeof kind === 'string' && FAILURE_KINDS.has(kind) && typeof message === 'string') {
      return {
        ok: false,
        failure: {
          kind: kind as RegistryFailureKind,
          host: typeof host === 'string' ? host : endpointHost(reference.registry),
          message,
          hint: typeof hint === 'string' ? hint : '',
          status: typeof status === 'number' ? status : undefined,
        },
      };
    }
  }
  if (ok === true && typeof manifest === 'object' && manifest !== null) {
    const { digest, mediaType, index, stale, resolvedAt } = manifest as Record<string, unknown>;
    const problem = typeof digest === 'string' ? digestProblem(digest) : 'no digest';
    if (problem !== undefined) return fail('protocol', `the registry answered an invalid digest: ${problem}`);
    if (reference.digest !== undefined && digest !== reference.digest) {
      return fail('protocol', `asked for ${reference.digest}, the registry answered ${String(digest)}`);
    }
    return {
      ok: true,
      manifest: {
        digest: digest as string,
        mediaType: typeof mediaType === 'string' ? mediaType : '',
        index: index === true,
        stale: stale === true,
        resolvedAt: typeof resolvedAt === 'number' ? resolvedAt : 0,
      },
    };
  }
  return fail('protocol', 'the resolver answered neither a manifest nor a failure');
}

const FAILURE_KINDS: ReadonlySet<string> = new Set(REGISTRY_FAILURE_KINDS);

/** Why `digest` is not one Kubernetes accepts (go-digest v1.0.0, as the reference parser checks it). */
export function digestProblem(digest: string): string | undefined {
  const colon = checkDigestSyntax(digest, 0, digest.length);
  if (typeof colon !== 'number') return colon.message;
  return checkDigestSemantics(digest, 0, colon, digest.length)?.message;
}

function reason(signal: AbortSignal | undefined): string {
  const why = signal?.reason as unknown;
  return why instanceof Error ? why.message : why === undefined ? 'aborted' : describe(why);
}

function describe(error: unknown): string {
  try {
    return error instanceof Error ? String(error.message) : String(error);
  } catch {
    return 'a value that cannot be shown';
  }
}
