/**
 * The pullguard server as it is deployed: `startServer` with the configuration `pullguard serve`
 * builds from flags (default cache, info-level request logs as JSON lines on stdout, metrics),
 * the bench policy (or `policy`, with more flags in `args`), on loopback with a free port. The
 * caller discards stdout, as a log shipper would consume it: the logging cost is measured, the
 * lines are not kept.
 */
import { benchPolicyFile } from '../lib/paths.mjs';
import { serverModule, Unavailable } from '../lib/pullguard.mjs';

export async function startBenchServer({ policy = benchPolicyFile, args = [] } = {}) {
  const server = await serverModule();
  if (typeof server.startServer !== 'function' || typeof server.loadServerConfig !== 'function') {
    throw new Unavailable('@pullguard/server does not export startServer/loadServerConfig');
  }
  const config = server.loadServerConfig(
    ['--policy', policy, '--host', '127.0.0.1', '--port', '0', ...args],
    {},
  );
  const running = await server.startServer(config);
  return {
    port: Number(new URL(running.url).port),
    cacheStats: () => running.policies.engine?.cacheStats(),
  };
}
