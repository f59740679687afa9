import { createServer as createHttpServer, type Server, type ServerOptions } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { closePlugins, createEngine, loadPlugins, loadPolicies } from '@pullguard/engine';
import { resolveHostModules } from '@pullguard/engine/internals';
import { createResolverFromSettings } from '@pullguard/registry';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createApp } from './app.js';
import type { ServerConfig } from './config.js';
import { ListenError } from './listen-error.js';
import { createLogger, type Logger } from './logger.js';
import { type KubernetesNamespaces, watchKubernetesNamespaces } from './namespaces/kubernetes-namespaces.js';
import { type LabelSource, NamespaceLabelStore } from './namespaces/label-store.js';
import { namespaceLabels } from './namespaces/namespace-labels.js';
import { readNamespacesFile } from './namespaces/namespaces-file.js';
import { FilePolicies, type PolicyService } from './policy-service.js';
import { registryMetrics } from './registry-metrics.js';
import type { StaticSite } from './routes/static-site.js';
import { readKeyPair, type TlsFiles } from './tls.js';
import { watchFiles } from './watch/watch-files.js';

export interface StartServerOptions {
  /** Default: JSON lines on stdout at `config.logLevel`. */
  logger?: Logger | undefined;
  /** Default: a new Registry (with Node.js process metrics). */
  registry?: Registry | undefined;
  /**
   * The packages plugins get when they import them (LoadPluginsOptions.hostModules). Default: this
   * server's own `@pullguard/engine` (and `@pullguard/sdk` where installed beside it); `pullguard
   * serve` passes the CLI's.
   */
  pluginHostModules?: Readonly<Record<string, string>> | undefined;
  /** Static files served beside the API: `pullguard serve` serves the playground. */
  site?: StaticSite | undefined;
}

export interface RunningServer {
  /** `http://127.0.0.1:8080` or `https://…` — with the real port when `config.port` was 0. */
  url: string;
  policies: PolicyService;
  /** Stops watching, stops accepting, lets requests in flight finish (10 s at most), then resolves. */
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 10_000;
const CLOSE_IDLE_CHECK_MS = 50;
const KEEP_ALIVE_TIMEOUT_MS = 95_000;

/**
 * Loads plugins and policies, starts reading namespace labels, then serves. A policy set that does
 * not load does not stop the server: it runs unready (`/readyz` 503 with the errors) and becomes
 * ready when a fixed set is saved. Plugins are code and are loaded once; a plugin that does not
 * load is fatal. A port that cannot be listened on is a ListenError (nothing is left running).
 */
export async function startServer(
  config: ServerConfig,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const registry = options.registry ?? new Registry();
  if (options.registry === undefined)
    collectDefaultMetrics({ register: registry, prefix: 'pullguard_process_' });

  // Plugin code runs in worker threads (see docs/plugins.md): a rule that spins is stopped there,
  // and this thread keeps answering, /healthz included. A plugin that does not load is fatal.
  const plugins =
    config.plugins.length > 0
      ? await loadPlugins(config.plugins, {
          cwd: config.cwd,
          hostModules: options.pluginHostModules ?? (await resolveHostModules(import.meta.url)),
        })
      : [];
  const cache = config.cacheSize === 0 ? false : { max: config.cacheSize, ttlMs: config.cacheTtlMs };
  const closers: (() => void)[] = [];
  try {
    // Registry rules and digest pinning ask registries through one client (one digest cache, one
    // token cache) for every policy set; its files are read now, so a bad one fails the start.
    const resolver = createResolverFromSettings(resolveFiles(config.registry, config.cwd), {
      listener: registryMetrics(registry),
    });
    if (resolver) closers.push(() => resolver.close());
    const store = new NamespaceLabelStore();
    const namespacesFile = config.namespaces.file ? resolve(config.cwd, config.namespaces.file) : undefined;
    const kubernetes = await kubernetesSource(config, store, logger);
    if (kubernetes) closers.push(() => kubernetes.close());
    const namespaces = namespaceLabels({
      store,
      sources: sourcesOf(config),
      kubernetes,
      // A lookup on a miss must leave time for the evaluation within the request's deadline.
      lookupTimeoutMs: Math.min(1000, config.requestTimeoutMs / 2),
      unknown: config.namespaces.unknown,
      learnFromReviews: config.namespaces.learnFromReviews,
    });

    const policies = new FilePolicies({
      paths: config.policyPaths,
      load: (paths) => loadPolicies(paths, { cwd: config.cwd }),
      createEngine: (documents) =>
        createEngine({
          policies: documents,
          plugins,
          cache,
          manifests: config.manifests,
          // Each lookup is bounded by the client (--registry-timeout) and by the review's deadline.
          resolver,
          // Labels known before the first set loads; later changes reach the engine through the app.
          namespaceLabels: store.snapshot(),
          ...(config.ruleTimeoutMs === undefined ? {} : { ruleTimeoutMs: config.ruleTimeoutMs }),
        }),
      afterLoad: namespacesFile ? () => readNamespacesFile(namespacesFile, store, logger) : undefined,
      logger,
    });
    await policies.reload('startup');

    const app = createApp({
      policies,
      logger,
      registry,
      namespaces,
      site: options.site,
      config: {
        adminToken: config.adminToken,
        bodyLimitBytes: config.bodyLimitBytes,
        failureMode: config.failureMode,
        timeoutMs: config.requestTimeoutMs,
        requireClientCert: config.tls?.clientCaFile !== undefined,
      },
    });

    const server = config.tls
      ? await httpsServer(config, app, logger, closers)
      : createHttpServer(timeouts(config), app);
    // The API server reuses webhook connections and drops idle ones after 90 s (client-go's
    // IdleConnTimeout, k8s.io/apimachinery pkg/util/net/http.go). Node's default of 5 s would close
    // connections the API server is about to reuse, failing calls at random; outliving its timeout
    // means the client always closes first.
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;

    if (config.watch) {
      const watcher = watchFiles(
        [...config.policyPaths, ...(namespacesFile ? [namespacesFile] : [])],
        () => void policies.reload('watch'),
        { debounceMs: config.watchDebounceMs, intervalMs: config.watchIntervalMs, logger, cwd: config.cwd },
      );
      closers.push(() => watcher.close());
      await watcher.ready;
    }

    await listen(server, config);
    const { port } = server.address() as AddressInfo;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `${config.tls ? 'https' : 'http'}://${host}:${port}`;
    logger.info({ url, policies: config.policyPaths, tls: config.tls !== undefined }, 'listening');

    let closing: Promise<void> | undefined;
    return {
      url,
      policies,
      close() {
        closing ??= (async () => {
          for (const close of closers) close();
          const closed = new Promise<void>((done) => server.close(() => done()));
          // server.close() ends only the connections idle at that moment; a keep-alive connection
          // whose request is still in flight would stay open after its answer until the grace
          // period forced it shut. So idle connections are closed as they become idle.
          server.closeIdleConnections();
          const idle = setInterval(() => server.closeIdleConnections(), CLOSE_IDLE_CHECK_MS);
          const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
          await closed;
          clearInterval(idle);
          clearTimeout(force);
          await closePlugins(plugins);
          logger.info('closed');
          await new Promise<void>((done) => logger.flush(() => done()));
        })();
        return closing;
      },
    };
  } catch (error) {
    for (const close of closers) close();
    await closePlugins(plugins);
    throw error;
  }
}

/** The registry settings with their files relative to the server's working directory. */
function resolveFiles(settings: ServerConfig['registry'], cwd: string): ServerConfig['registry'] {
  const file = (path: string | undefined) => (path === undefined ? undefined : resolve(cwd, path));
  return { ...settings, registryAuth: file(settings.registryAuth), registryCa: file(settings.registryCa) };
}

function sourcesOf(config: ServerConfig): LabelSource[] {
  const { namespaces } = config;
  return [
    ...(namespaces.file ? (['file'] as const) : []),
    ...(namespaces.kubernetes ? (['kubernetes'] as const) : []),
    ...(namespaces.learnFromReviews ? (['reviews'] as const) : []),
  ];
}

async function kubernetesSource(
  config: ServerConfig,
  store: NamespaceLabelStore,
  logger: Logger,
): Promise<KubernetesNamespaces | undefined> {
  const source = config.namespaces.kubernetes;
  if (source === undefined) return undefined;
  const kubeconfig = source.kubeconfig === undefined ? undefined : resolve(config.cwd, source.kubeconfig);
  return watchKubernetesNamespaces({ kubeconfig, store, logger });
}

/**
 * Receiving a request must not take longer than evaluating it may: a client that sends its
 * headers or body slowly is cut off after `--request-timeout` (408). Node checks those timeouts
 * every `connectionsCheckingInterval` (30 s by default, which held slow clients ~30 s whatever
 * the timeout), so the check runs at a tenth of the timeout, between 50 ms and 1 s.
 */
export function timeouts(config: Pick<ServerConfig, 'requestTimeoutMs'>): ServerOptions {
  const timeout = config.requestTimeoutMs;
  return {
    requestTimeout: timeout,
    headersTimeout: timeout,
    connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.round(timeout / 10))),
  };
}

/** HTTPS with files that are re-read when they change (cert-manager, a Secret's `..data` swap). */
async function httpsServer(
  config: ServerConfig,
  app: Parameters<typeof createHttpServer>[1] & object,
  logger: Logger,
  closers: (() => void)[],
): Promise<Server> {
  const tls = config.tls!;
  const files: TlsFiles = {
    certFile: resolve(config.cwd, tls.certFile),
    keyFile: resolve(config.cwd, tls.keyFile),
    caFile: tls.clientCaFile === undefined ? undefined : resolve(config.cwd, tls.clientCaFile),
  };
  // With a client CA, a certificate is asked for but not required at the TLS level: probes and
  // /v1/evaluate callers connect without one; admission reviews are refused without one (app.ts).
  const https = createHttpsServer(
    {
      ...timeouts(config),
      ...(await readKeyPair(files)),
      ...(files.caFile === undefined ? {} : { requestCert: true, rejectUnauthorized: false }),
    },
    app,
  );
  if (config.watch) {
    const reload = () =>
      readKeyPair(files).then(
        (pair) => {
          https.setSecureContext(pair);
          logger.info({ cert: files.certFile }, 'TLS certificate reloaded');
        },
        (error: unknown) =>
          logger.error(
            { err: error, cert: files.certFile },
            'TLS certificate not reloaded; keeping the current one',
          ),
      );
    const watcher = watchFiles(
      [files.certFile, files.keyFile, ...(files.caFile ? [files.caFile] : [])],
      () => void reload(),
      { debounceMs: config.watchDebounceMs, intervalMs: config.watchIntervalMs, logger },
    );
    closers.push(() => watcher.close());
    await watcher.ready;
  }
  return https;
}

function listen(server: Server, config: Pick<ServerConfig, 'host' | 'port'>): Promise<void> {
  return new Promise<void>((resolveListen, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(new ListenError(config.host, config.port, error));
    server.once('error', failed);
    server.listen(config.port, config.host, () => {
      server.off('error', failed);
      resolveListen();
    });
  });
}
