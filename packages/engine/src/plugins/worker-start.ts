/**
 * Starting a plugin worker and waiting, time-boxed, until it has imported every plugin module:
 * what fails while loading (an import error, a module whose top-level await never settles, one
 * that takes longer than the load timeout) is a PLUGIN_LOAD_FAILED naming the plugin.
 */
import { type TransferListItem, Worker } from 'node:worker_threads';
import { PullguardError } from '../errors.js';
import type { DescribedPlugin, FromWorker, WorkerData } from './worker-protocol.js';

/**
 * The worker's entry module. When the engine runs from its TypeScript sources (its own tests under
 * vitest), Node cannot run a `.ts` worker: the built one in dist/ runs instead (turbo builds before
 * testing). A bundle that inlines the engine (the CLI's) keeps `import.meta.url` pointing at the
 * engine's built files (packages/cli/scripts/bundle.mjs), so the worker is found there.
 */
const WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/plugins/plugin-worker.js', import.meta.url)
  : new URL('./plugin-worker.js', import.meta.url);

/**
 * A worker never keeps the process alive by itself (whenLoaded unrefs it): the calls waiting on it
 * do, with their timers, so a CLI run ends when its last evaluation does.
 */
export function spawnWorker(data: WorkerData, transferList: TransferListItem[] = []): Worker {
  return new Worker(WORKER_URL, { workerData: data, transferList });
}

/**
 * How long a worker thread may take to start, before it loads any plugin: engine code, so only a
 * machine under extreme load gets near it; the plugins' own time box starts when each begins loading.
 */
const WORKER_START_TIMEOUT_MS = 60_000;

/**
 * Resolves with the plugins' descriptions (when `data.describe`) once `worker` has loaded them all;
 * rejects with PLUGIN_LOAD_FAILED naming the plugin that failed, and terminates the worker. Each
 * plugin module has `timeoutMs` from when the worker starts importing it.
 */
export function whenLoaded(
  worker: Worker,
  data: WorkerData,
  timeoutMs: number,
): Promise<DescribedPlugin[] | undefined> {
  return new Promise((resolve, reject) => {
    let loading: number | undefined;
    let crash: unknown;
    const name = () =>
      loading === undefined ? 'the plugin worker' : `plugin "${data.modules[loading]?.specifier}"`;
    const fail = (why: string) => {
      cleanup();
      void worker.terminate();
      const message =
        loading === undefined ? `${name()} could not start: ${why}` : `${name()} could not be loaded: ${why}`;
      reject(new PullguardError('PLUGIN_LOAD_FAILED', message, { cause: crash }));
    };
    const onMessage = (message: FromWorker) => {
      if (message.type === 'loading') {
        loading = message.module;
        clearTimeout(timer);
        timer = setTimeout(onTimeout, timeoutMs);
      } else if (message.type === 'load-failed') fail(message.message);
      else if (message.type === 'loaded') {
        cleanup();
        resolve(message.plugins);
      }
    };
    const onError = (error: unknown) => {
      crash = error;
    };
    const onExit = (code: number) =>
      fail(
        code === 13
          ? 'it never finished loading: a top-level await in its module never settled'
          : `its worker stopped while loading (exit code ${code}${crash === undefined ? '' : `: ${String((crash as Error).message ?? crash)}`})`,
      );
    const onTimeout = () =>
      loading === undefined
        ? fail(`it did not start within ${WORKER_START_TIMEOUT_MS} ms`)
        : fail(`it did not finish loading within ${timeoutMs} ms (a top-level await that never settles?)`);
    let timer = setTimeout(onTimeout, WORKER_START_TIMEOUT_MS);
    const cleanup = () => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    // A `message` listener refs the worker again: every listener is attached by now (the pool's
    // first), so this is the last word. The load timeout's timer keeps the process alive meanwhile.
    worker.unref();
  });
}
