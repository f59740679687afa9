import { availableParallelism } from 'node:os';
import type { RegistryResolver } from '@pullguard/engine';
import type { ManifestInput } from '@pullguard/engine/internals';
import type { Settings } from '../config/settings.js';
import { serveResolver } from '../registry/port-resolver.js';
import type { CheckWorkerData, CheckWorkerMessage } from './check-worker.js';
import type { FileResult } from './evaluate-files.js';

/**
 * Below this many files a run is faster on one thread: each worker pays for its own engine
 * (module loading, policy compilation). Measured in docs/cli.md#performance.
 */
export const PARALLEL_MIN_FILES = 400;
/** One worker per this many files, at most one per core. */
const FILES_PER_WORKER = 200;

/**
 * How many threads to use. `PULLGUARD_WORKERS=n` overrides the choice (tests use it to run the
 * worker path on small inputs; `1` turns workers off).
 */
export function workerCount(
  files: number,
  cores = availableParallelism(),
  override = process.env['PULLGUARD_WORKERS'],
): number {
  if (override !== undefined && /^\d+$/.test(override)) return Math.max(1, Math.min(Number(override), files));
  if (files < PARALLEL_MIN_FILES) return 1;
  return Math.max(1, Math.min(cores, Math.floor(files / FILES_PER_WORKER)));
}

/**
 * Evaluates `files` on `count` threads: the main thread (with the engine it already has, through
 * `local`) and `count - 1` workers, each building its own engine. File i goes to thread i mod
 * count, which balances directories of similar files. Workers ask the main thread's `resolver`
 * for registry lookups, so a tag is looked up once per run, not once per thread. Yields results as
 * they arrive; the caller sorts the findings. Worker cache statistics are added to `cache`.
 */
export async function* evaluateInWorkers(
  files: readonly ManifestInput[],
  count: number,
  local: (files: readonly ManifestInput[]) => AsyncIterable<FileResult>,
  setup: { settings: Settings; cwd: string; withWorkloads: boolean; resolver: RegistryResolver | undefined },
  cache: { hits: number; misses: number },
): AsyncGenerator<FileResult> {
  const queue: FileResult[] = [];
  let wake: (() => void) | undefined;
  let failure: unknown;
  let running = count;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const share = (index: number) => files.filter((_, i) => i % count === index);
  // Loaded here, not at the top: most runs use one thread, and worker_threads costs start-up time.
  const { MessageChannel, Worker } = await import('node:worker_threads');
  const { resolver, ...shared } = setup;
  const workers = Array.from({ length: count - 1 }, (_, n) => {
    const channel = resolver === undefined ? undefined : new MessageChannel();
    if (channel !== undefined && resolver !== undefined) serveResolver(resolver, channel.port1);
    const data: CheckWorkerData = { ...shared, files: share(n + 1), registry: channel?.port2 };
    const worker = new Worker(new URL('./check-worker.js', import.meta.url), {
      workerData: data,
      transferList: channel === undefined ? [] : [channel.port2],
    });
    worker.on('message', (message: CheckWorkerMessage) => {
      if (message.type === 'file') queue.push(message.result);
      else {
        cache.hits += message.cache.hits;
        cache.misses += message.cache.misses;
      }
      notify();
    });
    worker.on('error', (error) => {
      failure ??= error;
      notify();
    });
    worker.on('exit', () => {
      channel?.port1.close();
      running--;
      notify();
    });
    return worker;
  });
  // The main thread's share, interleaved with the workers' messages at each await.
  void (async () => {
    try {
      for await (const result of local(share(0))) {
        queue.push(result);
        notify();
      }
    } catch (error) {
      failure ??= error;
    }
    running--;
    notify();
  })();
  try {
    while (running > 0 || queue.length > 0) {
      if (failure !== undefined) throw failure;
      const next = queue.shift();
      if (next) yield next;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
    if (failure !== undefined) throw failure;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
