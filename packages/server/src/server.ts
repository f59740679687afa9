import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import {
  closePlugins,
  createEngine,
  type Engine,
  formatDiagnostic,
  loadPlugins,
  loadPolicies,
  parseNamespacesFile,
  resolveHostModules,
} from '@pullguard/engine';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createApp } from './app.js';
import type { ServerConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { FilePolicies, type PolicyService } from './policy-service.js';
import { readKeyPair } from './tls.js';
import { type Watcher, watchPaths } from './watch.js';

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
}

export interface RunningServer {
  /** `http://127.0.0.1:8080` or `https://…` — with the real port when `config.port` was 0. */
  url: string;
  policies: PolicyService;
  /** Stops watching, stops accepting, lets requests in flight finish (10 s at most), then resolves. */
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 10_000;
const KEEP_ALIVE_TIMEOUT_MS = 95_000;

/**
 * Loads plugins and policies, then serves. A policy set that does not load does not stop the
 * server: it runs unready (`/readyz` 503 with the errors) and becomes ready when a fixed set is
 * saved. Plugins are code and are loaded once; a plugin that does not load is fatal.
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
  const policies = new FilePolicies({
    paths: config.policyPaths,
    load: (paths) => loadPolicies(paths, { cwd: config.cwd }),
    createEngine: (documents) =>
      createEngine({
        policies: documents,
        plugins,
        cache,
        manifests: config.manifests,
        ...(config.ruleTimeoutMs === undefined ? {} : { ruleTimeoutMs: config.ruleTimeoutMs }),
      }),
    afterLoad: config.namespacesFile
      ? (engine) => applyNamespacesFile(engine, resolve(config.cwd, config.namespacesFile!), logger)
      : undefined,
    logger,
  });
  await policies.reload('startup');

  const app = createApp({
    policies,
    logger,
    registry,
    config: {
      adminToken: config.adminToken,
      bodyLimitBytes: config.bodyLimitBytes,
      failureMode: config.failureMode,
      timeoutMs: config.requestTimeoutMs,
    },
  });

  const watchers: Watcher[] = [];
  let server: Server;
  if (config.tls) {
    const files = {
      certFile: resolve(config.cwd, config.tls.certFile),
      keyFile: resolve(config.cwd, config.tls.keyFile),
    };
    const https = createHttpsServer(await readKeyPair(files), app);
    server = https;
    // Rotated certificates (cert-manager, mounted Secrets) are picked up without a restart.
    watchers.push(
      watchPaths(
        [files.certFile, files.keyFile],
        () => {
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
        },
        { debounceMs: config.watchDebounceMs, logger },
      ),
    );
  } else {
    server = createHttpServer(app);
  }
  // Receiving a request must not take longer than evaluating it may (slow-loris bound).
  server.requestTimeout = config.requestTimeoutMs;
  server.headersTimeout = Math.min(config.requestTimeoutMs, 60_000);
  // The API server reuses webhook connections and drops idle ones after 90 s (client-go's
  // IdleConnTimeout, k8s.io/apimachinery pkg/util/net/http.go). Node's default of 5 s would close
  // connections the API server is about to reuse, failing calls at random; outliving its timeout
  // means the client always closes first.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;

  if (config.watch) {
    const paths = [...config.policyPaths, ...(config.namespacesFile ? [config.namespacesFile] : [])];
    watchers.push(
      watchPaths(paths, () => void policies.reload('watch'), {
        debounceMs: config.watchDebounceMs,
        logger,
        cwd: config.cwd,
      }),
    );
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
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
        for (const w of watchers) w.close();
        const closed = new Promise<void>((done) => server.close(() => done()));
        server.closeIdleConnections();
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        await closed;
        clearTimeout(force);
        await closePlugins(plugins);
        logger.info('closed');
        await new Promise<void>((done) => logger.flush(() => done()));
      })();
      return closing;
    },
  };
}

/** Namespace labels from the namespaces file; a bad entry is logged and the others still apply. */
async function applyNamespacesFile(engine: Engine, file: string, logger: Logger): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    logger.error(
      { file, err: error },
      'cannot read the namespaces file; namespace labels from it are unknown',
    );
    return;
  }
  const parsed = parseNamespacesFile(text, file);
  for (const d of parsed.errors) logger.error({ file }, `namespaces file: ${formatDiagnostic(d)}`);
  for (const [namespace, labels] of Object.entries(parsed.labels))
    engine.setNamespaceLabels(namespace, labels);
}
