/**
 * Where a worker-loaded plugin's `prepare` runs at policy load. Policy compilation is synchronous
 * (createEngine and engine.reload return their result), so the main thread posts the call to this
 * worker and blocks on a shared flag (Atomics.wait) until it answers or the prepare timeout passes
 * (the worker starts on the first call; its loading has the load timeout).
 * A `prepare` that spins therefore holds the main thread for the timeout, not forever: the worker
 * is terminated and replaced, and the policy entry fails to load with PLUGIN_INVALID naming the
 * plugin and rule (a reload then keeps the last good policies).
 *
 * Why a worker of its own: the pool's workers may be busy (or stuck) with rule calls, and a
 * synchronous wait must not depend on them. Why the prepared value is not sent back: it may hold
 * anything (a compiled RegExp, a class instance, a function) that cannot cross threads. Here
 * `prepare` runs only for its problems; each pool worker prepares the same options again, once,
 * before the first call of that policy entry (plugin-worker.ts).
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import type { RuleEntryContext } from '../rule-contract.js';
import {
  ANSWERED,
  LOADED,
  type PrepareAnswer,
  type PrepareRequest,
  type WorkerData,
} from './worker-protocol.js';
import { spawnWorker } from './worker-start.js';

export interface ControlOptions {
  loadTimeoutMs: number;
  prepareTimeoutMs: number;
}

export class ControlWorker {
  readonly #data: Omit<WorkerData, 'control' | 'describe'>;
  readonly #options: ControlOptions;
  /** Started on the first `prepare` call: most plugins have none, and need no thread for it. */
  #thread: Worker | undefined;
  #port!: MessagePort;
  /** Shared with the worker: [ANSWERED] the last answered request's seq, [LOADED] 1 once loaded. */
  #flags!: Int32Array;
  /** Not yet known to have loaded: its first answer may take the load timeout as well. */
  #fresh = true;
  #seq = 0;

  constructor(data: Omit<WorkerData, 'control' | 'describe'>, options: ControlOptions) {
    this.#data = data;
    this.#options = options;
  }

  /**
   * Runs the rule's `prepare` in the worker and returns its problems, synchronously. A timeout is
   * an answer with an error; the worker is replaced so that the next call finds one that answers.
   */
  prepare(plugin: number, rule: number, options: unknown, entry: RuleEntryContext): PrepareAnswer {
    if (this.#thread === undefined) this.#spawn();
    const seq = ++this.#seq;
    const request: PrepareRequest = { seq, plugin, rule, options, entry };
    this.#port.postMessage(request);
    // A worker started for this call first loads the plugins: that wait has the load timeout.
    if (this.#fresh && !this.#wait(LOADED, 1, this.#options.loadTimeoutMs)) {
      this.#restart();
      const why = `the plugins did not finish loading within ${this.#options.loadTimeoutMs} ms`;
      return { seq, problems: [], error: { message: `prepare could not run: ${why}` } };
    }
    this.#fresh = false;
    if (!this.#wait(ANSWERED, seq, this.#options.prepareTimeoutMs)) {
      this.#restart();
      const why = `prepare did not return within ${this.#options.prepareTimeoutMs} ms`;
      return { seq, problems: [], error: { message: why } };
    }
    const reply = receiveMessageOnPort(this.#port)?.message as PrepareAnswer | undefined;
    return reply ?? { seq, problems: [], error: { message: 'the plugin worker did not answer' } };
  }

  /** Blocks until slot `index` of the shared flags holds `value`, or `timeoutMs` passes (false). */
  #wait(index: number, value: number, timeoutMs: number): boolean {
    const end = performance.now() + timeoutMs;
    for (;;) {
      const current = Atomics.load(this.#flags, index);
      if (current === value) return true;
      const remaining = end - performance.now();
      if (remaining <= 0) return false;
      Atomics.wait(this.#flags, index, current, remaining);
    }
  }

  async close(): Promise<void> {
    const thread = this.#thread;
    if (thread === undefined) return;
    this.#thread = undefined;
    this.#port.close();
    await thread.terminate();
  }

  #spawn(): void {
    const { port1, port2 } = new MessageChannel();
    const flags = new SharedArrayBuffer(8);
    const data: WorkerData = { ...this.#data, describe: false, control: { port: port2, flags } };
    const thread = spawnWorker(data, [port2]);
    // Its load is awaited by the blocking wait of the first call (#fresh), not by a listener.
    thread.unref();
    this.#thread = thread;
    this.#port = port1;
    // Read only with receiveMessageOnPort: no listener, nothing that keeps the process alive.
    port1.unref();
    this.#flags = new Int32Array(flags);
    this.#fresh = true;
  }

  /** Stops a worker that did not answer; the next call starts another. */
  #restart(): void {
    void this.close();
  }
}
