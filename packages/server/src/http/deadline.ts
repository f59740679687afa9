import { setMaxListeners } from 'node:events';
import { HttpError } from './http-error.js';

export interface Deadline {
  /** Settles like `work`, or rejects with EVALUATION_TIMEOUT when the deadline passes first (the work itself is not cancelled). */
  <T>(work: Promise<T>): Promise<T>;
  /**
   * A signal for the work about to start, aborted no later than that work's deadline: what the
   * work passes on to what it waits for (the engine's registry lookups), so that nothing it
   * started outlives the request.
   */
  signal(): AbortSignal;
}

/**
 * Work started within this long shares one AbortSignal, which aborts `ms` after the first of it
 * started: at most this much before the deadline of the rest. A signal per request costs several
 * µs (an AbortSignal is an EventTarget), more than the bookkeeping of the deadline itself.
 */
const SIGNAL_SLICE_MS = 10;

interface Pending {
  /** `performance.now()` at which the work is late. */
  due: number;
  reject(error: HttpError): void;
  /** Neighbours in the pending list, started earlier and later. */
  previous: Pending | undefined;
  next: Pending | undefined;
}

/**
 * A deadline of `ms` for each piece of work, all on one timer. A timer per request (set, then
 * cleared a few µs later) costs more than the rest of the bookkeeping on the admission path; with
 * one length for all, work started later is due later, so the pending list is in due order and the
 * timer only ever needs the first one. The timer is re-armed when it fires, not when work
 * settles, and is unref'd: an idle server is not kept alive by it.
 *
 * The pending work is a linked list through the entries themselves rather than a Set: a Set that
 * lives as long as the server has its table in the old generation, and V8 allocates every table
 * it grows or shrinks into there too, so a few entries added and deleted per request left
 * ~100 bytes of old-generation garbage per request (5 MB in 12 s of admission load) until the
 * next full GC. Linking and unlinking allocates nothing. Invariants: docs/performance-invariants.md#the-deadline-list.
 */
export function deadline(ms: number, what: string): Deadline {
  let first: Pending | undefined;
  let last: Pending | undefined;
  const unlink = (p: Pending) => {
    // Work that settles after its deadline was unlinked when it expired.
    if (p.previous === undefined && first !== p) return;
    if (p.previous === undefined) first = p.next;
    else p.previous.next = p.next;
    if (p.next === undefined) last = p.previous;
    else p.next.previous = p.previous;
    p.previous = p.next = undefined;
  };
  const late = () => new HttpError('EVALUATION_TIMEOUT', `${what} did not finish within ${ms} ms`);
  let timer: NodeJS.Timeout | undefined;
  const arm = (delay: number) => {
    timer = setTimeout(expire, Math.max(1, Math.ceil(delay)));
    timer.unref();
  };
  const expire = () => {
    timer = undefined;
    const now = performance.now();
    while (first !== undefined) {
      const p = first;
      if (p.due > now) {
        arm(p.due - now);
        return;
      }
      unlink(p);
      p.reject(late());
    }
  };
  const within = <T>(work: Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const p: Pending = { due: performance.now() + ms, reject, previous: last, next: undefined };
      if (last === undefined) first = p;
      else last.next = p;
      last = p;
      if (timer === undefined) arm(ms);
      work.then(
        (value) => {
          unlink(p);
          resolve(value);
        },
        (error: unknown) => {
          unlink(p);
          reject(error);
        },
      );
    });

  let slice: { signal: AbortSignal; until: number } | undefined;
  const signal = (): AbortSignal => {
    const now = performance.now();
    if (slice === undefined || now >= slice.until) {
      const controller = new AbortController();
      // One listener per registry lookup in flight: many, and none of them a leak.
      setMaxListeners(0, controller.signal);
      setTimeout(() => controller.abort(late()), ms).unref();
      slice = { signal: controller.signal, until: now + SIGNAL_SLICE_MS };
    }
    return slice.signal;
  };
  return Object.assign(within, { signal });
}
