/** The pullguard server as the benchmark runs it: the bench policy, default cache, listening on loopback. */
import { benchEngine, serverModule } from '../lib/pullguard.mjs';

export async function startBenchServer() {
  const server = await serverModule();
  const engine = await benchEngine();
  // TODO(bench): adapt to the server's final API once it lands.
  const app = await server.createApp({ engine });
  const listening = await new Promise((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (error) => (error ? reject(error) : resolve(s)));
  });
  return { server: listening, cacheStats: () => engine.cacheStats() };
}
