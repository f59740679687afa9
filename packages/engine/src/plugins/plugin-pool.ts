/**
 * The worker threads plugin rules run in. A rule call that overruns its timeout is answered
 * RULE_TIMEOUT on time, whatever the rule does: a timer on a promise cannot stop a busy thread,
 * but terminating the thread can. The pool replaces a worker that does not come back, so the
 * engine (and a server's event loop, and SIGTERM) never waits on plugin code.
 *
 * Invariants:
 * - A call's timer starts when it is handed to a ready worker, or queued behind busy ready workers.
 *   Calls that arrive while no worker is ready (all starting, or suspected stuck) wait untimed for
 *   the next one: that wait is bounded by the load timeout, and a worker that fails to start fails them.
 * - A call whose timer fires is answered RULE_TIMEOUT at once and its signal aborted in the worker.
 *   Its worker is then suspect (no new calls) until it answers that call; if it has not answered
 *   within the grace period after its own timer must have fired, it is terminated and replaced.
 * - Every call on a worker that stops (terminated, crashed, exited) is answered RULE_ERROR naming
 *   why: nothing waits on a thread that is gone.
 * - Memory is bounded: at most MAX_IN_FLIGHT calls per worker, at most MAX_QUEUED waiting; a call
 *   beyond that is answered RULE_ERROR at once (the policy's action decides whether that blocks).
 *
 * Why not piscina (5.3 on npm): its tasks carry no per-worker state, and this pool needs some —
 * which rule instances' prepared options each worker holds (sent once per worker, never cloned
 * back), which worker a stuck call is on (to stop sending it calls before it is replaced), and
 * per-call answers for the other calls of a terminated worker (piscina rejects them all with one
 * generic abort error). The synchronous `prepare` channel (control-worker.ts) is outside any pool.
 * What is left — spawn, dispatch to the least busy, a bounded queue — is this file.
 */
import type { Worker } from 'node:worker_threads';
import { type RuleFailure, type RuleResult, ruleFailure, timeoutFailure } from '../evaluate/run-rule.js';
import type { DescribedPlugin, FromWorker, InstanceSetup, WorkerData } from './worker-protocol.js';
import { spawnWorker, whenLoaded } from './worker-start.js';

/** Calls one worker runs at once (async rules overlap; sync rules queue in the worker). */
export const MAX_IN_FLIGHT = 32;
/** Calls waiting for a worker, all workers together. */
export const MAX_QUEUED = 1000;
/** Instances whose options a worker keeps before it is told to forget them all. */
const MAX_KNOWN_INSTANCES = 4096;

export interface PoolOptions {
  workers: number;
  loadTimeoutMs: number;
}

/** Which rule to call: its plugin's and its own position, as every worker loaded them. */
export interface RuleAddress {
  plugin: number;
  rule: number;
  id: string;
}

/** A rule instance's options: `key` identifies them (one object per policy entry), `setup` is what the worker needs. */
export interface InstanceOptions {
  key: object | undefined;
  setup: InstanceSetup;
}

interface Call {
  id: number;
  address: RuleAddress;
  instance: InstanceOptions;
  facts: unknown;
  policy: string;
  namespace: string;
  now: number;
  timeoutMs: number;
  resolve: (result: RuleResult) => void;
  timer: NodeJS.Timeout | undefined;
  worker: PoolWorker | undefined;
  dispatchedAt: number;
  done: boolean;
}

interface PoolWorker {
  thread: Worker;
  ready: boolean;
  calls: Map<number, Call>;
  /** Calls answered RULE_TIMEOUT that the worker has not answered yet. */
  abandoned: Set<number>;
  stuckTimer: NodeJS.Timeout | undefined;
  /** Instance ids whose options this worker has. */
  known: Set<number>;
  /** What an `error` event said before the worker exited. */
  crash: unknown;
}

export class PluginPool {
  readonly #data: WorkerData;
  readonly #options: PoolOptions;
  readonly #workers = new Set<PoolWorker>();
  readonly #queue: Call[] = [];
  readonly #instanceIds = new WeakMap<object, number>();
  #nextInstance = 0;
  #nextCall = 0;
  #closed = false;

  private constructor(data: WorkerData, options: PoolOptions) {
    this.#data = data;
    this.#options = options;
  }

  /**
   * Starts every worker and waits until all have loaded the plugins (warm before the first call).
   * Resolves with the plugins as data, as the first worker read them.
   */
  static async start(
    data: Omit<WorkerData, 'describe'>,
    options: PoolOptions,
  ): Promise<{ pool: PluginPool; plugins: DescribedPlugin[] }> {
    const pool = new PluginPool({ ...data, describe: false }, options);
    const started = Array.from({ length: options.workers }, (_, n) => pool.#spawn(n === 0));
    const results = await Promise.allSettled(started);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) {
      await pool.close();
      throw failed.reason;
    }
    return {
      pool,
      plugins: (results[0] as PromiseFulfilledResult<DescribedPlugin[] | undefined>).value ?? [],
    };
  }

  /** Runs one rule call in a worker. Never rejects: every outcome is a RuleResult. */
  call(
    address: RuleAddress,
    instance: InstanceOptions,
    facts: unknown,
    context: { policy: string; namespace: string; now: number },
    timeoutMs: number,
  ): Promise<RuleResult> {
    return new Promise((resolve) => {
      const call: Call = {
        id: this.#nextCall++,
        address,
        instance,
        facts,
        policy: context.policy,
        namespace: context.namespace,
        now: context.now,
        timeoutMs,
        resolve,
        timer: undefined,
        worker: undefined,
        dispatchedAt: 0,
        done: false,
      };
      if (this.#closed) return this.#finish(call, stopped(call, 'the plugin workers were closed'));
      const free = this.#pick();
      if (free !== undefined) return this.#dispatch(free, call);
      if (this.#queue.length >= MAX_QUEUED) {
        const why = `${MAX_QUEUED} rule calls are already waiting for a plugin worker`;
        return this.#finish(call, ruleFailure('RULE_ERROR', `rule ${address.id} was not run: ${why}`));
      }
      // Behind busy workers the wait counts against the timeout; with none ready it does not (see above).
      if (this.#anyReady()) this.#startTimer(call);
      else if (this.#workers.size === 0) void this.#spawn().catch(() => undefined);
      this.#queue.push(call);
    });
  }

  /** Terminates every worker; calls still waiting are answered RULE_ERROR. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const call of this.#queue.splice(0))
      this.#finish(call, stopped(call, 'the plugin workers were closed'));
    const workers = [...this.#workers];
    for (const worker of workers) this.#stop(worker, 'the plugin workers were closed');
    await Promise.all(workers.map((w) => w.thread.terminate()));
  }

  async #spawn(describe = false): Promise<DescribedPlugin[] | undefined> {
    const data = describe ? { ...this.#data, describe } : this.#data;
    const thread = spawnWorker(data);
    const worker: PoolWorker = {
      thread,
      ready: false,
      calls: new Map(),
      abandoned: new Set(),
      stuckTimer: undefined,
      known: new Set(),
      crash: undefined,
    };
    this.#workers.add(worker);
    // Listening from the start: `loaded` and a later exit are seen in the order they happen.
    thread.on('message', (message: FromWorker) => {
      if (message.type === 'result') this.#answered(worker, message.id, message.result);
      else if (message.type === 'loaded' && !this.#closed) {
        worker.ready = true;
        this.#drain();
      }
    });
    thread.on('error', (error) => {
      worker.crash = error;
    });
    thread.on('exit', (code) => {
      // While loading, whenLoaded reports the exit; a worker already stopped was replaced already.
      if (!worker.ready || !this.#workers.has(worker)) return;
      const crash = worker.crash as Error | undefined;
      this.#replace(
        worker,
        crash === undefined
          ? `its plugin worker exited (code ${code}); the worker was replaced`
          : `its plugin worker crashed (${String(crash.message ?? crash)}); the worker was replaced`,
      );
    });
    try {
      return await whenLoaded(thread, data, this.#options.loadTimeoutMs);
    } catch (error) {
      this.#workers.delete(worker);
      // Calls waiting untimed have no worker left to wait for.
      if (this.#workers.size === 0) {
        const why = `no plugin worker could start: ${(error as Error).message}`;
        for (const call of this.#queue.splice(0)) this.#finish(call, stopped(call, why));
      }
      throw error;
    }
  }

  /** The ready, unsuspected worker with the fewest calls, if it has room for one more. */
  #pick(): PoolWorker | undefined {
    let best: PoolWorker | undefined;
    for (const worker of this.#workers) {
      if (!worker.ready || worker.abandoned.size > 0) continue;
      if (best === undefined || worker.calls.size < best.calls.size) best = worker;
    }
    return best !== undefined && best.calls.size < MAX_IN_FLIGHT ? best : undefined;
  }

  #anyReady(): boolean {
    for (const worker of this.#workers) if (worker.ready && worker.abandoned.size === 0) return true;
    return false;
  }

  #drain(): void {
    while (this.#queue.length > 0) {
      const worker = this.#pick();
      if (worker === undefined) return;
      this.#dispatch(worker, this.#queue.shift() as Call);
    }
  }

  #startTimer(call: Call): void {
    call.timer ??= setTimeout(() => this.#expire(call), call.timeoutMs);
  }

  #dispatch(worker: PoolWorker, call: Call): void {
    const { key, setup } = call.instance;
    let instance: number | undefined;
    let added = false;
    if (key !== undefined) {
      instance = this.#instanceIds.get(key);
      if (instance === undefined) {
        instance = this.#nextInstance++;
        this.#instanceIds.set(key, instance);
      }
      if (!worker.known.has(instance)) {
        if (worker.known.size >= MAX_KNOWN_INSTANCES) {
          worker.thread.postMessage({ type: 'forget' });
          worker.known.clear();
        }
        worker.known.add(instance);
        added = true;
      }
    }
    try {
      // Structured clone of the facts (frozen data, a few hundred bytes) happens here, once per call.
      worker.thread.postMessage({
        type: 'check',
        id: call.id,
        plugin: call.address.plugin,
        rule: call.address.rule,
        instance,
        setup: instance === undefined || added ? setup : undefined,
        facts: call.facts,
        policy: call.policy,
        namespace: call.namespace,
        now: call.now,
        timeoutMs: call.timeoutMs,
      });
    } catch (error) {
      if (added && instance !== undefined) worker.known.delete(instance);
      const why = `its input could not be sent to a plugin worker: ${(error as Error).message}`;
      this.#finish(call, ruleFailure('RULE_ERROR', `rule ${call.address.id} was not run: ${why}`));
      return;
    }
    call.worker = worker;
    call.dispatchedAt = Date.now();
    worker.calls.set(call.id, call);
    this.#startTimer(call);
  }

  #expire(call: Call): void {
    call.timer = undefined;
    const worker = call.worker;
    if (worker === undefined) {
      this.#queue.splice(this.#queue.indexOf(call), 1);
    } else {
      worker.thread.postMessage({ type: 'cancel', id: call.id });
      worker.abandoned.add(call.id);
      // The worker's own timer (started when it received the call) answers a rule that ignores its
      // signal; one that does not answer even then is stuck in synchronous code.
      const grace = Math.min(Math.max(call.timeoutMs, 100), 1000);
      const stuckAt = call.dispatchedAt + call.timeoutMs + grace;
      if (worker.stuckTimer === undefined) {
        worker.stuckTimer = setTimeout(() => {
          const why = `rule ${call.address.id} kept its plugin worker busy past its timeout of ${call.timeoutMs} ms; the worker was replaced`;
          this.#replace(worker, why);
        }, stuckAt - Date.now());
        worker.stuckTimer.unref();
      }
    }
    this.#finish(call, timeoutFailure(call.address.id, call.timeoutMs));
  }

  #answered(worker: PoolWorker, id: number, result: RuleResult): void {
    const call = worker.calls.get(id);
    worker.calls.delete(id);
    if (worker.abandoned.delete(id) && worker.abandoned.size === 0) {
      clearTimeout(worker.stuckTimer);
      worker.stuckTimer = undefined;
    }
    if (call !== undefined) this.#finish(call, result);
    this.#drain();
  }

  /** Stops `worker` (its calls answered with `why`) and starts another in its place. */
  #replace(worker: PoolWorker, why: string): void {
    this.#stop(worker, why);
    void worker.thread.terminate();
    if (!this.#closed) void this.#spawn().catch(() => undefined);
  }

  #stop(worker: PoolWorker, why: string): void {
    this.#workers.delete(worker);
    clearTimeout(worker.stuckTimer);
    for (const call of worker.calls.values()) this.#finish(call, stopped(call, why));
    worker.calls.clear();
  }

  #finish(call: Call, result: RuleResult): void {
    if (call.done) return;
    call.done = true;
    clearTimeout(call.timer);
    call.worker?.calls.delete(call.id);
    call.resolve(result);
  }
}

function stopped(call: Call, why: string): RuleFailure {
  return ruleFailure('RULE_ERROR', `rule ${call.address.id} was stopped: ${why}`);
}
