/**
 * The registry client at admission, against a real registry (Debian's docker-registry, started by
 * @pullguard/registry's test harness on 127.0.0.1, spoken to over plain HTTP), with the pullguard
 * server in its own process (startServer, the pinning policy bench/policies/pin-policy.yaml):
 *
 * registryRequestsPerTag: 200 concurrent `POST /v1/admission/mutate` of Pods over 20 distinct tags
 * (10 Pods per tag), digest cache cold → manifest requests the registry served (its access log) / 20.
 * Concurrent lookups of one tag share one request, and every later one is a cache hit: 1.0.
 *
 * admissionPinWarmP99Ms: p99 latency of `/v1/admission/mutate` for a Pod whose three images are
 * pinned in the answer (JSON Patch), digest cache warm, c=10 (autocannon in a third process, µs
 * timings), median over rounds. The registry is asked nothing during the rounds.
 */
import { join } from 'node:path';
import { helper } from '../lib/helper-process.mjs';
import { benchDir } from '../lib/paths.mjs';
import { Unavailable } from '../lib/pullguard.mjs';
import { summarize } from '../lib/stats.mjs';
import { admissionReview } from '../load/admission-review.mjs';

export const keys = ['admissionPinWarmP99Ms', 'registryRequestsPerTag'];

const TAGS = 20;
const ADMISSIONS = 200;
const PATH = '/v1/admission/mutate';
const MANIFEST = /^\/v2\/.+\/manifests\/[^/]+$/;

async function testSupport() {
  try {
    return await import('@pullguard/registry/test-support');
  } catch (error) {
    throw new Unavailable(`@pullguard/registry/test-support does not load: ${error.message.split('\n')[0]}`);
  }
}

function pod(name, images) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop' },
    spec: {
      containers: images.map((image, i) => ({ name: `c${i}`, image, imagePullPolicy: 'IfNotPresent' })),
    },
  };
}

/** One review through the mutating webhook: whether its answer pinned every image. */
async function pinned(url, review, images) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(review),
  });
  const text = await response.text();
  if (!response.ok) throw new Unavailable(`${PATH} answered ${response.status}: ${text.slice(0, 300)}`);
  const patch = JSON.parse(text).response?.patch;
  const operations = patch === undefined ? [] : JSON.parse(Buffer.from(patch, 'base64').toString('utf8'));
  return images.every((image, i) =>
    operations.some(
      (o) => o.path === `/spec/containers/${i}/image` && o.value.startsWith(`${image}@sha256:`),
    ),
  );
}

export async function run(ctx) {
  const { registryUnavailable, startLocalRegistry } = await testSupport();
  const missing = registryUnavailable();
  if (missing) throw new Unavailable(missing);
  const registry = await startLocalRegistry();
  const helpers = [];
  try {
    const tags = [];
    for (let i = 0; i < TAGS; i++) {
      await registry.push.pushImage(`bench/app-${i}`, '1.0');
      tags.push(`${registry.host}/bench/app-${i}:1.0`);
    }
    const server = helper('server-child.mjs', ['pullguard'], { stdout: 'ignore' });
    helpers.push(server);
    const { port } = await server.ask(
      {
        type: 'start',
        server: {
          policy: join(benchDir, 'policies', 'pin-policy.yaml'),
          args: ['--plain-http', registry.host],
        },
      },
      'listening',
      30_000,
    );
    const url = `http://127.0.0.1:${port}${PATH}`;
    ctx.log(`  pullguard server listening; registry ${registry.host} with ${TAGS} tags`);

    // Cold: every admission at once, 10 per tag.
    const isManifest = (entry) => MANIFEST.test(entry.path.split('?')[0]);
    const before = registry.accessLog().filter(isManifest).length;
    const answers = await Promise.all(
      Array.from({ length: ADMISSIONS }, (_, n) =>
        pinned(url, admissionReview(pod(`cold-${n}`, [tags[n % TAGS]]), String(n + 1)), [tags[n % TAGS]]),
      ),
    );
    // The access log is written as each response completes: wait for one entry per tag, then a
    // moment for any others still on their way.
    await registry.waitForAccessLog(isManifest, before + TAGS).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const served = registry.accessLog().filter(isManifest).slice(before);
    const counts = new Map();
    for (const { method, status } of served)
      counts.set(`${method} ${status}`, (counts.get(`${method} ${status}`) ?? 0) + 1);
    const byMethod = [...counts].map(([what, n]) => `${n} ${what}`);
    const pinnedCold = answers.filter(Boolean).length;
    const perTag = {
      registryRequestsPerTag: {
        value: served.length / TAGS,
        spread: `${served.length} manifest requests (${byMethod.join(', ')}) for ${TAGS} tags; ${pinnedCold} of ${ADMISSIONS} admissions pinned`,
        note: 'manifest requests in the registry’s access log / distinct tags',
        input: `${ADMISSIONS} concurrent mutating admissions of one-container Pods over ${TAGS} tags, digest cache cold`,
      },
    };
    ctx.report?.(perTag);

    // Warm: one Pod with three of the tags, pinned on every answer from the digest cache.
    const images = tags.slice(0, 3);
    const review = admissionReview(pod('warm', images), '1');
    if (!(await pinned(url, review, images)))
      throw new Unavailable(`${PATH} did not pin the warm Pod's images`);
    const body = JSON.stringify(review);
    const load = helper('load-child.mjs');
    helpers.push(load);
    const roundMs = ctx.quick ? 1_000 : 3_000;
    const roundOn = (durationMs) =>
      load.ask(
        { type: 'round', url, body, connections: 10, durationMs, maxRequests: 500_000 },
        'round',
        durationMs + 30_000,
      );
    await roundOn(1_000); // warm-up (JIT, connections), not counted
    const requestsBefore = registry.accessLog().filter(isManifest).length;
    const rounds = [];
    const count = ctx.quick ? 2 : 7;
    while (rounds.length < count && (rounds.length === 0 || Date.now() + roundMs + 2_000 < ctx.deadline)) {
      rounds.push(await roundOn(roundMs));
    }
    const askedDuringRounds = registry.accessLog().filter(isManifest).length - requestsBefore;
    const failures = rounds.reduce((n, r) => n + r.non2xx + r.errors, 0);
    const p99 = summarize(rounds.map((r) => r.p99Ms));
    ctx.log(
      `  pinning rounds: ${rounds.map((r) => `${Math.round(r.rps)} req/s, p99 ${r.p99Ms.toFixed(2)} ms`).join('; ')}`,
    );
    return {
      ...perTag,
      admissionPinWarmP99Ms: {
        value: p99.median,
        spread:
          `${p99.median.toFixed(2)} ms (${p99.min.toFixed(2)}–${p99.max.toFixed(2)}) over ${rounds.length} rounds; ` +
          `p50 ${summarize(rounds.map((r) => r.p50Ms)).median.toFixed(2)} ms; ` +
          `${Math.round(summarize(rounds.map((r) => r.rps)).median)} req/s; ${failures} failed; ` +
          `${askedDuringRounds} registry requests during the rounds`,
        note: `p99 per ${(roundMs / 1000).toFixed(1)} s round, c=10`,
        input: `AdmissionReview of a Pod with 3 tagged images (${body.length} bytes), each answer a JSON Patch pinning all 3; digest cache warm`,
      },
    };
  } finally {
    for (const h of helpers) h.stop();
    await registry.stop();
  }
}
