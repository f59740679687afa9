/**
 * The load generator, in its own process so that it does not share a CPU core's event loop with the
 * server it measures. Driven over IPC by measures/admission.mjs:
 *   { type: 'round', url, body, connections, durationMs, maxRequests } → { type: 'round', ...stats }
 *   { type: 'fill', url, bodies: n, containers, connections }         → { type: 'fill', ok, failed }
 * Latencies are recorded per response at µs resolution (autocannon's own histogram keeps whole ms).
 */
import autocannon from 'autocannon';
import { createRandom } from '../lib/prng.mjs';
import { percentileSorted } from '../lib/stats.mjs';
import { admissionReview } from './admission-review.mjs';

function round({ url, body, connections, durationMs, maxRequests }) {
  return new Promise((resolve, reject) => {
    const latencies = [];
    let non2xx = 0;
    const started = process.hrtime.bigint();
    const instance = autocannon(
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        connections,
        duration: durationMs / 1000,
        maxOverallRequests: maxRequests,
        timeout: 5,
      },
      (error, result) => {
        if (error) return reject(error);
        const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
        latencies.sort((x, y) => x - y);
        resolve({
          type: 'round',
          requests: latencies.length,
          non2xx,
          errors: result.errors + result.timeouts,
          elapsedMs,
          rps: (latencies.length / elapsedMs) * 1000,
          p50Ms: percentileSorted(latencies, 50) / 1000,
          p99Ms: percentileSorted(latencies, 99) / 1000,
          maxMs: latencies[latencies.length - 1] / 1000,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(Math.round(responseTimeMs * 1000));
      else non2xx++;
    });
  });
}

/** Fills the server's result cache: `bodies` reviews of a Pod with `containers` distinct images each. */
async function fill({ url, bodies, containers, connections }) {
  const random = createRandom(0xf111);
  let next = 0;
  let ok = 0;
  let failed = 0;
  async function worker() {
    while (next < bodies) {
      const n = next++;
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `fill-${n}`, namespace: `team-${n % 100}` },
        spec: {
          containers: Array.from({ length: containers }, (_, i) => ({
            name: `c${i}`,
            image: `registry.acme.io/fill/app-${n}-${i}:${random.int(1000)}`,
            imagePullPolicy: 'IfNotPresent',
          })),
        },
      };
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(admissionReview(pod, String(n + 1))),
      });
      await response.arrayBuffer();
      if (response.ok) ok++;
      else failed++;
    }
  }
  await Promise.all(Array.from({ length: connections }, worker));
  return { type: 'fill', ok, failed };
}

process.on('message', async (message) => {
  try {
    const result = message.type === 'fill' ? await fill(message) : await round(message);
    process.send(result);
  } catch (error) {
    process.send({ type: 'error', message: error.stack ?? String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
