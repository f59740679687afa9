/**
 * Where a worker-loaded plugin's `prepare` runs at policy load. Policy compilation is synchronous
 * (createEngine and engine.reload return their result), so the main thread posts the call to this
 * worker and blocks on a shared flag (Atomics.wait) until it answers or the prepare timeout passes.
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
import type { DescribedPlugin, PrepareAnswer, PrepareRequest, WorkerData } from './worker-protocol.js';
import { spawnWorker, whenLoaded } from './worker-start.js';

export interface ControlOptions {
  loadTimeoutMs: number;
  prepareTimeoutMs: number;
}

export class ControlWorker {
  readonly #data: Omit<WorkerData, 'control' | 'describe'>;
  readonly #options: ControlOptions;
  #thread!: Worker;
  #port!: MessagePort;
  #answered!: Int32Array;
  /** Not yet known to have loaded: its first answer may take the load timeout as well. */
  #fresh = true;
  #seq = 0;

  private constructor(data: Omit<WorkerData, 'control' | 'describe'>, options: ControlOptions) {
    this.#data = data;
    this.#options = options;
  }

  /** Starts the control worker; resolves with the plugins as data once it has loaded them. */
  static async start(
    data: Omit<WorkerData, 'control' | 'describe'>,
    options: ControlOptions,
  ): Promise<{ control: ControlWorker; plugins: DescribedPlugin[] }> {
    const control = new ControlWorker(data, options);
    const loaded = control.#spawn(true);
    const plugins = (await whenLoaded(control.#thread, loaded, options.loadTimeoutMs)) ?? [];
    control.#fresh = false;
    return { control, plugins };
  }

  /**
   * Runs the rule's `prepare` in the worker and returns its problems, synchronously. A timeout is
   * an answer with an error; the worker is replaced so that the next call finds one that answers.
   */
  prepare(plugin: number, rule: number, options: unknown, entry: RuleEntryContext): PrepareAnswer {
    const seq = ++this.#seq;
    const request: PrepareRequest = { seq, plugin, rule, options, entry };
    this.#port.postMessage(request);
    const limitMs = this.#options.prepareTimeoutMs + (this.#fresh ? this.#options.loadTimeoutMs : 0);
    const end = performance.now() + limitMs;
    for (;;) {
      const answered = Atomics.load(this.#answered, 0);
      if (answered === seq) break;
      const remaining = end - performance.now();
      if (remaining <= 0) {
        this.#restart();
        return { seq, problems: [], error: { message: `prepare did not return within ${limitMs} ms` } };
      }
      Atomics.wait(this.#answered, 0, answered, remaining);
    }
    this.#fresh = false;
    const reply = receiveMessageOnPort(this.#port)?.message as PrepareAnswer | undefined;
    return reply ?? { seq, problems: [], error: { message: 'the plugin worker did not answer' } };
  }

  async close(): Promise<void> {
    this.#port.close();
    await this.#thread.terminate();
  }

  #spawn(describe: boolean): WorkerData {
    const { port1, port2 } = new MessageChannel();
    const answered = new SharedArrayBuffer(4);
    const data: WorkerData = { ...this.#data, describe, control: { port: port2, answered } };
    this.#thread = spawnWorker(data, [port2]);
    this.#port = port1;
    // Read only with receiveMessageOnPort: no listener, nothing that keeps the process alive.
    port1.unref();
    this.#answered = new Int32Array(answered);
    this.#fresh = true;
    return data;
  }

  #restart(): void {
    this.#port.close();
    void this.#thread.terminate();
    this.#spawn(false);
  }
}
