/**
 * A server under load, in its own process so that its RSS is its own. argv: `pullguard` | `bare`.
 * IPC: { type: 'start', responseText?, server? } → { type: 'listening', port }
 *      (`server`: startBenchServer's options, a policy file and more flags)
 *      { type: 'memory', gc? } → { type: 'memory', rss, heapUsed, cache?, rssAfterGc?, heapAfterGc? }
 * `bare` is the floor: an Express 5 route that parses the same JSON body and answers a body of the
 * same size (the pullguard server's own answer to that request, with the request's uid).
 */
import { getHeapSpaceStatistics } from 'node:v8';
import express from 'express';

const mode = process.argv[2];

function listen(app) {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', (error) => (error ? reject(error) : resolve(server)));
  });
}

function bareApp(responseText) {
  const template = JSON.parse(responseText);
  const app = express();
  app.disable('x-powered-by');
  app.post('/v1/admission/validate', express.json({ limit: '3mb' }), (req, res) => {
    const uid = req.body?.request?.uid;
    res.json({ ...template, response: { ...template.response, uid } });
  });
  return { start: () => listen(app) };
}

let stats = () => undefined;

process.on('message', async (message) => {
  try {
    if (message.type === 'start') {
      let port;
      if (mode === 'bare') {
        port = (await bareApp(message.responseText).start()).address().port;
      } else {
        const { startBenchServer } = await import('./pullguard-server.mjs');
        const started = await startBenchServer(message.server);
        port = started.port;
        stats = started.cacheStats;
      }
      process.send({ type: 'listening', port });
    } else if (message.type === 'memory') {
      const { rss, heapUsed } = process.memoryUsage();
      const reply = { type: 'memory', rss, heapUsed, cache: stats() };
      if (message.gc && globalThis.gc) {
        // what is live, as opposed to garbage not yet collected (the process runs with --expose-gc)
        globalThis.gc();
        const after = process.memoryUsage();
        // where the RSS is: V8's spaces (committed vs used), and memory outside the JS heap
        const spaces = Object.fromEntries(
          getHeapSpaceStatistics().map((s) => [
            s.space_name,
            { committed: s.space_size, used: s.space_used_size },
          ]),
        );
        Object.assign(reply, {
          rssAfterGc: after.rss,
          heapAfterGc: after.heapUsed,
          external: after.external,
          spaces,
        });
      }
      process.send(reply);
    }
  } catch (error) {
    // Unavailable (a part not built yet) is a reason, not a crash: its message says it all
    const unavailable = error?.constructor?.name === 'Unavailable';
    process.send({ type: 'error', message: unavailable ? error.message : (error.stack ?? String(error)) });
  }
});
process.on('disconnect', () => process.exit(0));
