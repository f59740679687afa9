/**
 * Registry lookups across threads: `pullguard check`'s worker threads ask the main thread's
 * resolver over a MessagePort instead of building their own. One resolver means one digest cache,
 * one token cache and one request per tag for the whole run, however many workers evaluate files
 * naming that tag (each worker's own client would ask the registry once per worker).
 */
import type { MessagePort } from 'node:worker_threads';
import type { RegistryReference, RegistryResolver, Resolution } from '@pullguard/engine';
import { endpointHost } from '@pullguard/engine/internals';

interface LookupRequest {
  id: number;
  reference: RegistryReference;
}

interface LookupAnswer {
  id: number;
  resolution: Resolution;
}

/**
 * Answers the lookups that arrive on `port` with `resolver` (in the main thread). The resolver
 * bounds each lookup itself (its timeout); a worker that gives up earlier ignores the answer.
 */
export function serveResolver(resolver: RegistryResolver, port: MessagePort): void {
  port.on('message', ({ id, reference }: LookupRequest) => {
    const answer = (resolution: Resolution) => port.postMessage({ id, resolution } satisfies LookupAnswer);
    // The contract says a resolver never rejects; should one, the worker still gets an answer.
    resolver
      .resolve(reference)
      .then(answer, (error: unknown) =>
        answer(failure(reference, 'protocol', `the registry resolver rejected: ${String(error)}`, '')),
      );
  });
}

/**
 * A resolver (in a worker) that asks the one at the other end of `port`. The port keeps the
 * thread alive only while a lookup is waiting for its answer.
 */
export function portResolver(port: MessagePort): RegistryResolver {
  const waiting = new Map<number, (resolution: Resolution) => void>();
  let next = 0;
  port.unref();
  port.on('message', ({ id, resolution }: LookupAnswer) => {
    const answer = waiting.get(id);
    waiting.delete(id);
    if (waiting.size === 0) port.unref();
    answer?.(resolution);
  });
  return {
    resolve(reference, options) {
      const signal = options?.signal;
      if (signal?.aborted) return Promise.resolve(cancelled(reference));
      return new Promise<Resolution>((resolve) => {
        const id = next++;
        const onAbort = () => {
          waiting.delete(id);
          if (waiting.size === 0) port.unref();
          resolve(cancelled(reference));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.set(id, (resolution) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(resolution);
        });
        port.ref();
        // A plain copy: the reference may be a frozen or class-backed object of the engine's.
        const { registry, repository, tag, digest } = reference;
        port.postMessage({ id, reference: { registry, repository, tag, digest } } satisfies LookupRequest);
      });
    },
  };
}

/** The answer to a lookup its caller gave up on (the contract: a `timeout` failure, never a rejection). */
function cancelled(reference: RegistryReference): Resolution {
  return failure(
    reference,
    'timeout',
    `the lookup in ${reference.registry} was cancelled by the caller's deadline`,
    'the registry answered too slowly for this deadline; raise --registry-timeout or check the registry',
  );
}

function failure(
  reference: RegistryReference,
  kind: 'timeout' | 'protocol',
  message: string,
  hint: string,
): Resolution {
  return { ok: false, failure: { kind, host: endpointHost(reference.registry), message, hint } };
}
