import { TransportError } from './transport.js';

/**
 * At most `max` exchanges in flight per host; the rest wait in arrival order. Bounds what a burst
 * of admissions can ask of one registry (and of Docker Hub's abuse limits). A waiter whose signal
 * aborts leaves the queue at once.
 */
export class HostLimiter {
  readonly #hosts = new Map<string, { active: number; waiting: Array<() => void> }>();

  constructor(private readonly max: number) {}

  async run<T>(host: string, signal: AbortSignal, task: () => Promise<T>): Promise<T> {
    let slot = this.#hosts.get(host);
    if (slot === undefined) {
      slot = { active: 0, waiting: [] };
      this.#hosts.set(host, slot);
    }
    // A finishing task hands its slot straight to the next waiter, so a newcomer arriving in
    // between can never push the count past `max`.
    if (slot.active >= this.max) await this.#wait(slot, signal);
    else slot.active++;
    try {
      return await task();
    } finally {
      const next = slot.waiting.shift();
      if (next) next();
      else if (--slot.active === 0) this.#hosts.delete(host);
    }
  }

  #wait(slot: { waiting: Array<() => void> }, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(new TransportError('aborted', 'aborted while waiting for a connection slot'));
        return;
      }
      const onAbort = () => {
        const index = slot.waiting.indexOf(wake);
        if (index !== -1) slot.waiting.splice(index, 1);
        reject(new TransportError('aborted', 'aborted while waiting for a connection slot'));
      };
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      slot.waiting.push(wake);
    });
  }
}
