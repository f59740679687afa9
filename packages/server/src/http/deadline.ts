import { HttpError } from './http-error.js';

/** Settles like `work`, or rejects with EVALUATION_TIMEOUT when the deadline passes first (the work itself is not cancelled). */
export type Deadline = <T>(work: Promise<T>) => Promise<T>;

interface Pending {
  /** `performance.now()` at which the work is late. */
  due: number;
  reject(error: HttpError): void;
}

/**
 * A deadline of `ms` for each piece of work, all on one timer. A timer per request (set, then
 * cleared a few µs later) costs more than the rest of the bookkeeping on the admission path; with
 * one length for all, work started later is due later, so the pending set is in due order and the
 * timer only ever needs the first one. The timer is re-armed when it fires, not when work
 * settles, and is unref'd: an idle server is not kept alive by it.
 */
export function deadline(ms: number, what: string): Deadline {
  const pending = new Set<Pending>();
  let timer: NodeJS.Timeout | undefined;
  const arm = (delay: number) => {
    timer = setTimeout(expire, Math.max(1, Math.ceil(delay)));
    timer.unref();
  };
  const expire = () => {
    timer = undefined;
    const now = performance.now();
    for (const p of pending) {
      if (p.due > now) {
        arm(p.due - now);
        return;
      }
      pending.delete(p);
      p.reject(new HttpError('EVALUATION_TIMEOUT', `${what} did not finish within ${ms} ms`));
    }
  };
  return <T>(work: Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const p: Pending = { due: performance.now() + ms, reject };
      pending.add(p);
      if (timer === undefined) arm(ms);
      work.then(
        (value) => {
          pending.delete(p);
          resolve(value);
        },
        (error: unknown) => {
          pending.delete(p);
          reject(error);
        },
      );
    });
}
