/**
 * Namespace labels from the Kubernetes API: list, then watch from the list's resourceVersion, as
 * client-go's reflector does (k8s.io/client-go tools/cache/reflector.go, v0.34) — the source of
 * truth no caller of the webhook can write. The ServiceAccount needs get, list and watch on
 * namespaces (docs/server.md#namespace-labels).
 *
 * - A watch the API server ends (its timeoutSeconds, a restart) is resumed from the last
 *   resourceVersion seen (events and BOOKMARKs carry it), so nothing is missed or replayed.
 * - `410 Gone` (an ERROR event with a Status of code 410, or the response itself: the
 *   resourceVersion is older than etcd keeps) means events were lost: list again and replace
 *   everything, so namespaces deleted in the gap are forgotten.
 * - Failures (connection refused, 5xx, a list that does not answer) are retried with exponential
 *   backoff; labels already known keep serving meanwhile.
 * - `synced` turns true once the first list has completed (readiness and a metric show it).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../logger.js';
import { NODE_TIMERS, type Timers } from '../timers.js';
import type { Labels, NamespaceLabelStore } from './label-store.js';

export type WatchRestartReason = 'closed' | 'gone' | 'error';

export interface KubernetesNamespacesOptions {
  /** A kubeconfig file; undefined: the in-cluster ServiceAccount. */
  kubeconfig: string | undefined;
  store: NamespaceLabelStore;
  logger: Logger;
  /** Backoff between failed attempts: doubles from `initialMs` up to `maxMs` (default 500 ms … 30 s). */
  backoff?: { initialMs: number; maxMs: number } | undefined;
  /** How long the API server keeps one watch open before it ends it (default 300 s, as client-go's 5–10 min). */
  watchTimeoutSeconds?: number | undefined;
  /** A list or a single lookup that takes longer fails (default 30 s). */
  requestTimeoutMs?: number | undefined;
  timers?: Timers | undefined;
  now?: (() => number) | undefined;
}

export interface KubernetesNamespaces {
  /** The first list has completed. */
  readonly synced: boolean;
  /** Watches started again, by why: the API server ended one, 410 Gone (listed again), a failure. */
  readonly restarts: Readonly<Record<WatchRestartReason, number>>;
  /**
   * Reads one namespace now (a namespace created a moment ago may not have reached the watch yet)
   * and records it; undefined when it does not exist or cannot be read in `timeoutMs`.
   */
  lookup(name: string, timeoutMs: number): Promise<Labels | undefined>;
  close(): void;
}

interface NamespaceObject {
  metadata?: { name?: string; resourceVersion?: string; labels?: Record<string, string> };
}

const NAMESPACES_PATH = '/api/v1/namespaces';
/** How long a namespace that could not be read is not asked for again, and how many are remembered. */
const MISS_TTL_MS = 5000;
const MISSES_MAX = 10_000;
const LIST_PAGE = 500;

/**
 * Loads the client configuration (throws, saying what is missing, when there is none), lists
 * and starts watching; resolves before the first list completes (see `synced`).
 */
export async function watchKubernetesNamespaces(
  options: KubernetesNamespacesOptions,
): Promise<KubernetesNamespaces> {
  const k8s = await loadClient();
  const config = new k8s.KubeConfig();
  loadConfig(config, options.kubeconfig);
  const api = config.makeApiClient(k8s.CoreV1Api);
  const watch = new k8s.Watch(config);
  const timeoutSeconds = options.watchTimeoutSeconds ?? 300;
  // The client aborts a watch that is silent for `requestTimeoutMs` (30 s), shorter than the API
  // server's BOOKMARK interval (about a minute): a quiet cluster's watch would be cut and resumed
  // every 30 s. The field is declared private in client-node's types but is a plain property of
  // the instance; outliving the server-side timeout lets the API server end the watch instead.
  if (Reflect.has(watch, 'requestTimeoutMs'))
    Reflect.set(watch, 'requestTimeoutMs', (timeoutSeconds + 60) * 1000);
  const { store, logger } = options;
  const timers = options.timers ?? NODE_TIMERS;
  const now = options.now ?? Date.now;
  const backoff = options.backoff ?? { initialMs: 500, maxMs: 30_000 };
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;

  let synced = false;
  let closed = false;
  let resourceVersion: string | undefined;
  let failures = 0;
  let retry: unknown;
  let current: AbortController | undefined;
  const restarts: Record<WatchRestartReason, number> = { closed: 0, gone: 0, error: 0 };

  const later = (what: string, error: unknown, again: () => void) => {
    const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** failures);
    failures++;
    logger.warn({ err: error, retryInMs: delay, failures }, `namespace ${what} failed; retrying`);
    retry = timers.setTimeout(again, delay);
  };

  const list = async (): Promise<void> => {
    if (closed) return;
    try {
      const entries = new Map<string, Labels>();
      let next: string | undefined;
      let version: string | undefined;
      do {
        const page = await within(
          api.listNamespace({ limit: LIST_PAGE, ...(next ? { _continue: next } : {}) }),
          requestTimeoutMs,
          timers,
          'the namespace list',
        );
        for (const item of page.items) {
          const name = item.metadata?.name;
          if (name) entries.set(name, item.metadata?.labels ?? {});
        }
        next = page.metadata?._continue || undefined;
        version = page.metadata?.resourceVersion;
      } while (next !== undefined);
      if (closed) return;
      store.replace('kubernetes', entries);
      resourceVersion = version;
      failures = 0;
      if (!synced)
        logger.info({ namespaces: entries.size }, 'namespace labels listed from the Kubernetes API');
      synced = true;
      void watchFrom();
    } catch (error) {
      later('list', error, () => void list());
    }
  };

  const watchFrom = async (): Promise<void> => {
    if (closed) return;
    const started = now();
    let events = 0;
    let gone = false;
    const onEvent = (type: string, object: unknown) => {
      if (type === 'ERROR') {
        const status = object as { code?: number; message?: string } | undefined;
        if (status?.code === 410) gone = true;
        else logger.warn({ status }, 'the namespace watch reported an error');
        return;
      }
      events++;
      failures = 0;
      const metadata = (object as NamespaceObject | undefined)?.metadata;
      if (metadata?.resourceVersion) resourceVersion = metadata.resourceVersion;
      const name = metadata?.name;
      if (type === 'BOOKMARK' || !name) return;
      if (type === 'DELETED') store.delete('kubernetes', name);
      else if (type === 'ADDED' || type === 'MODIFIED') store.set('kubernetes', name, metadata.labels ?? {});
    };
    const onDone = (error: unknown) => {
      if (closed) return;
      const status = (error as { statusCode?: number } | null)?.statusCode;
      if (gone || status === 410) {
        restarts.gone++;
        logger.info({ resourceVersion }, 'namespace watch expired (410 Gone); listing again');
        resourceVersion = undefined;
        void list();
        return;
      }
      // A watch that ends normally is resumed at once — unless it ended without delivering
      // anything right after it started, which would otherwise reconnect in a tight loop.
      const quiet = events === 0 && now() - started < 1000;
      if ((error === null || error === undefined || isTimeout(error)) && !quiet) {
        restarts.closed++;
        void watchFrom();
        return;
      }
      restarts.error++;
      later('watch', error ?? new Error('the watch ended at once'), () => void watchFrom());
    };
    try {
      current = await watch.watch(
        NAMESPACES_PATH,
        { resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
        onEvent,
        onDone,
      );
    } catch (error) {
      onDone(error);
    }
  };

  const lookups = new Map<string, Promise<Labels | undefined>>();
  const misses = new Map<string, number>();
  const read = async (name: string, timeoutMs: number): Promise<Labels | undefined> => {
    try {
      const namespace = await within(api.readNamespace({ name }), timeoutMs, timers, 'the namespace lookup');
      const labels = namespace.metadata?.labels ?? {};
      if (!closed) store.set('kubernetes', name, labels);
      return labels;
    } catch (error) {
      if ((error as { code?: number }).code !== 404)
        logger.warn({ err: error, namespace: name }, 'namespace lookup failed');
      if (misses.size >= MISSES_MAX) misses.clear();
      misses.set(name, now() + MISS_TTL_MS);
      return undefined;
    }
  };

  void list();

  return {
    get synced() {
      return synced;
    },
    restarts,
    lookup(name, timeoutMs) {
      // Whoever can reach the webhook port can name namespaces that do not exist: concurrent
      // lookups of one name share one request, and a miss is remembered briefly, so that the API
      // server is not asked once per review.
      const missed = misses.get(name);
      if (missed !== undefined && missed > now()) return Promise.resolve(undefined);
      let pending = lookups.get(name);
      if (pending === undefined) {
        pending = read(name, timeoutMs).finally(() => lookups.delete(name));
        lookups.set(name, pending);
      }
      return pending;
    },
    close() {
      closed = true;
      timers.clearTimeout(retry);
      current?.abort();
    },
  };
}

type ClientModule = typeof import('@kubernetes/client-node');

/**
 * The client is loaded only when namespaces are watched. Its 2.x releases depend on undici 8, which
 * needs Node 22; pullguard pins undici 7 for it (pnpm-workspace.yaml overrides) so that it runs on
 * Node 20 — an install that brings undici 8 on Node 20 fails here, and says so.
 */
async function loadClient(): Promise<ClientModule> {
  try {
    return await import('@kubernetes/client-node');
  } catch (error) {
    throw new Error(
      `cannot load @kubernetes/client-node on Node ${process.versions.node} (${(error as Error).message}); it needs undici 7 on Node 20`,
    );
  }
}

function loadConfig(config: KubeConfig, kubeconfig: string | undefined): void {
  if (kubeconfig !== undefined) {
    try {
      config.loadFromFile(kubeconfig);
    } catch (error) {
      throw new Error(`cannot read the kubeconfig ${kubeconfig}: ${(error as Error).message}`);
    }
    if (config.getCurrentCluster() === null)
      throw new Error(`the kubeconfig ${kubeconfig} has no current cluster`);
    return;
  }
  if (!process.env['KUBERNETES_SERVICE_HOST'] || !process.env['KUBERNETES_SERVICE_PORT']) {
    throw new Error(
      'not running in a Kubernetes Pod (KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set): give --kubeconfig',
    );
  }
  config.loadFromCluster();
}

function isTimeout(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'TimeoutError';
}

/** `work`, or a rejection once `ms` pass (the request itself is left to finish). */
function within<T>(work: Promise<T>, ms: number, timers: Timers, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = timers.setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    work.then(
      (value) => {
        timers.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        timers.clearTimeout(timer);
        reject(error);
      },
    );
  });
}
