/**
 * admissionVsBareExpress: req/s of `POST /v1/admission/validate` (the pullguard server with the bench
 * policy) / a bare Express 5 route that parses the same body and answers a same-size JSON body.
 * Each server runs in its own process; autocannon runs in a third (c=10, loopback), rounds interleaved.
 * admissionP99Ms: p99 latency of the pullguard rounds (per-response µs timings), median over rounds.
 * serverRssMb: the pullguard server's peak RSS over the load rounds, after its result cache was filled
 * (60 s of load in a full run, 10 s in quick mode): "< 150 MB, flat" is about the peak.
 * --compare-lru: two pullguard servers, one with its engine over lru-cache (lib/lru-variant.mjs),
 * both filled alike, then their rounds interleaved: req/s, p99 and peak RSS side by side.
 */
import { helper } from '../lib/helper-process.mjs';
import { interleavePairs } from '../lib/interleave.mjs';
import { lruProcessArgs } from '../lib/lru-variant.mjs';
import { Unavailable } from '../lib/pullguard.mjs';
import { loadRealCorpus } from '../lib/real-corpus.mjs';
import { summarize } from '../lib/stats.mjs';
import { admissionReview } from '../load/admission-review.mjs';

export const keys = ['admissionVsBareExpress', 'admissionP99Ms', 'serverRssMb'];

const PATH = '/v1/admission/validate';
const MB = 2 ** 20;

/** `old_space 60/41 MB, new_space 16/1 MB, …` for the spaces that hold at least 1 MB. */
function spacesText(spaces) {
  return Object.entries(spaces)
    .filter(([, s]) => s.committed >= MB)
    .map(([name, s]) => `${name} ${Math.round(s.committed / MB)}/${Math.round(s.used / MB)} MB`)
    .join(', ');
}

/** The Deployment an admission request carries: Argo CD's dex server (2 containers, one init), from the corpus. */
function reviewBody() {
  const { objects } = loadRealCorpus();
  const found =
    objects.find((o) => o.object.kind === 'Deployment' && o.object.metadata?.name === 'argocd-dex-server') ??
    objects.find((o) => o.object.kind === 'Deployment');
  const object = { ...found.object, metadata: { ...found.object.metadata, namespace: 'argocd' } };
  return JSON.stringify(admissionReview(object, '1'));
}

export async function run(ctx) {
  const full = await session(ctx, { fill: true });
  if (ctx.compareLru) {
    ctx.report?.(full);
    Object.assign(full, await lruSession(ctx));
  }
  if (ctx.quick) return full;
  ctx.report?.(full);
  // Full runs: the same session with the cache left empty (about 25 s) separates what the full
  // cache costs in memory and latency from what serving costs.
  const deadline = Date.now() + 25_000;
  const empty = await session(
    { ...ctx, quick: true, deadline, timing: { ...ctx.timing, pairs: 5, deadline } },
    { fill: false },
  );
  return {
    ...full,
    serverRssMbEmptyCache: {
      ...empty.serverRssMb,
      title: '`serverRssMb` with the result cache left empty',
      input: 'the admission rounds only, no cache fill (~20 s of load)',
    },
    admissionP99MsEmptyCache: {
      ...empty.admissionP99Ms,
      title: '`admissionP99Ms` with the result cache left empty',
    },
  };
}

/** The pullguard server in a helper process: listening, with the first review answered. */
async function startPullguard(body, execArgv = []) {
  // the server's request log (JSON lines on stdout) is produced, then discarded
  const server = helper('server-child.mjs', ['pullguard'], { stdout: 'ignore', execArgv });
  try {
    const { port } = await server.ask({ type: 'start' }, 'listening', 30_000);
    const url = `http://127.0.0.1:${port}${PATH}`;
    const first = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const responseText = await first.text();
    if (!first.ok) throw new Unavailable(`${PATH} answered ${first.status}: ${responseText.slice(0, 300)}`);
    return { server, url, responseText };
  } catch (error) {
    server.stop();
    throw error;
  }
}

/** Fills a server's result cache: `bodies` reviews of a Pod with as many distinct images as fill it (20 for 10,000). */
async function fillCache(load, server, url, bodies) {
  const before = await server.ask({ type: 'memory' }, 'memory');
  const containers = Math.ceil((before.cache?.max ?? 50_000) / bodies || 1);
  const filled = await load.ask({ type: 'fill', url, bodies, containers, connections: 10 }, 'fill', 120_000);
  return { before, after: await server.ask({ type: 'memory' }, 'memory'), filled, containers };
}

/**
 * --compare-lru: the pullguard server with its engine over lru-cache (A) and as built (B), both
 * with the same module hooks (lib/lru-variant.mjs), caches filled alike, rounds interleaved.
 */
async function lruSession(ctx) {
  const body = reviewBody();
  const helpers = [];
  try {
    const theirs = await startPullguard(body, lruProcessArgs(true));
    helpers.push(theirs.server);
    const ours = await startPullguard(body, lruProcessArgs(false));
    helpers.push(ours.server);
    if (theirs.responseText !== ours.responseText) {
      throw new Error('the servers over lru-cache and LruMap answer the same review differently');
    }
    const load = helper('load-child.mjs');
    helpers.push(load);
    const sides = { a: theirs, b: ours };
    const memory = { a: [], b: [] };
    const rounds = { a: [], b: [] };
    for (const key of ['a', 'b']) {
      const { before, after, filled, containers } = await fillCache(
        load,
        sides[key].server,
        sides[key].url,
        500,
      );
      memory[key].push(before, after);
      sides[key].fill = `${filled.ok} reviews × ${containers} images, ${filled.failed} failed`;
    }
    const roundMs = ctx.quick ? 1_000 : 6_000;
    const roundOn = async (key) => {
      const side = sides[key];
      const r = await load.ask(
        { type: 'round', url: side.url, body, connections: 10, durationMs: roundMs, maxRequests: 500_000 },
        'round',
        roundMs + 30_000,
      );
      rounds[key].push(r);
      memory[key].push(await side.server.ask({ type: 'memory' }, 'memory'));
      return r.rps;
    };
    // one warm-up round each, not counted
    for (const key of ['a', 'b']) {
      await roundOn(key);
      rounds[key].pop();
      memory[key].pop();
    }
    const rps = await interleavePairs({
      pairs: ctx.timing.pairs,
      deadline: ctx.timing.deadline,
      measureA: () => roundOn('a'),
      measureB: () => roundOn('b'),
    });
    const mb = (m) => Math.round((m.rss / MB) * 10) / 10;
    const peak = (key) => Math.max(...memory[key].slice(2).map((m) => m.rss)) / MB;
    const rssPairs = memory.a.slice(2).map((m, i) => m.rss / memory.b[i + 2].rss);
    const p99 = (key) => summarize(rounds[key].map((r) => r.p99Ms));
    const title = (text) => `--compare-lru: ${text}`;
    const input = `AdmissionReview of ${PATH} as admissionVsBareExpress; both caches filled (${sides.b.fill}); ${roundMs / 1000} s rounds, c=10`;
    const failures = [...rounds.a, ...rounds.b].reduce((n, r) => n + r.non2xx + r.errors, 0);
    if (failures > 0) throw new Error(`${failures} failed requests in the lru-cache comparison`);
    return {
      admissionLruCacheVsLruMap: {
        ...rps,
        unit: 'req/s',
        title: title('admission req/s, lru-cache / LruMap'),
        labels: ['server over lru-cache', 'server over LruMap'],
        input,
      },
      serverRssMbLruCacheVsLruMap: {
        value: peak('a') / peak('b'),
        spread:
          `peak ${Math.round(peak('a'))} MB / ${Math.round(peak('b'))} MB; per-round RSS ratio ${summarize(rssPairs).median.toFixed(3)} ` +
          `(${summarize(rssPairs).min.toFixed(3)}–${summarize(rssPairs).max.toFixed(3)}), ${rssPairs.length} rounds`,
        title: title('`serverRssMb` (peak), lru-cache / LruMap'),
        input:
          `${input}; RSS over lru-cache: start ${mb(memory.a[0])}, filled ${mb(memory.a[1])}, rounds ${memory.a.slice(2).map(mb).join(', ')} MB; ` +
          `over LruMap: start ${mb(memory.b[0])}, filled ${mb(memory.b[1])}, rounds ${memory.b.slice(2).map(mb).join(', ')} MB; ` +
          `p99 ${p99('a').median.toFixed(2)} ms / ${p99('b').median.toFixed(2)} ms`,
      },
    };
  } finally {
    for (const h of helpers) h.stop();
  }
}

/** Logs how long a round took beyond its nominal duration (autocannon start-up, IPC), when ctx.verbose. */
async function timed(label, durationMs, log, fn) {
  const started = Date.now();
  const result = await fn();
  if (process.env.BENCH_VERBOSE)
    log(`  ${label} round: ${durationMs} ms nominal, ${Date.now() - started} ms wall`);
  return result;
}

async function session(ctx, { fill }) {
  const body = reviewBody();
  const helpers = [];
  try {
    const { server: pullguard, url, responseText } = await startPullguard(body);
    helpers.push(pullguard);
    ctx.log('  pullguard server listening');
    const allowed = JSON.parse(responseText).response?.allowed;

    const bare = helper('server-child.mjs', ['bare']);
    helpers.push(bare);
    const bareUrl = `http://127.0.0.1:${(await bare.ask({ type: 'start', responseText }, 'listening')).port}${PATH}`;
    const load = helper('load-child.mjs');
    helpers.push(load);

    const loadStarted = Date.now();
    const {
      before: beforeFill,
      after: afterFill,
      filled,
      containers,
    } = await fillCache(load, pullguard, url, fill ? 500 : 0);
    ctx.log(
      `  cache fill in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s: ${filled.ok} reviews ok, ${filled.failed} failed; cache ${JSON.stringify(afterFill.cache)}; RSS ${Math.round(afterFill.rss / MB)} MB`,
    );

    // autocannon ends a round on its 1 s ticker, so rounds are whole seconds
    const roundMs = ctx.quick ? 1_000 : 6_000;
    const roundOn = (target, durationMs = roundMs) =>
      timed(target === url ? 'pullguard' : 'bare', durationMs, ctx.log, () =>
        load.ask(
          { type: 'round', url: target, body, connections: 10, durationMs, maxRequests: 500_000 },
          'round',
          durationMs + 30_000,
        ),
      );
    // warm-up (JIT, connection pools), not counted; in quick mode a fill has warmed the pullguard server
    if (!ctx.quick || !fill) await roundOn(url, 1_000);
    await roundOn(bareUrl, 1_000);

    const ours = [];
    const theirs = [];
    const memory = [beforeFill, afterFill];
    const result = await interleavePairs({
      pairs: ctx.timing.pairs,
      deadline: ctx.timing.deadline,
      measureA: async () => {
        const r = await roundOn(url);
        ours.push(r);
        memory.push(await pullguard.ask({ type: 'memory' }, 'memory'));
        return r.rps;
      },
      measureB: async () => {
        const r = await roundOn(bareUrl);
        theirs.push(r);
        return r.rps;
      },
    });
    ctx.log(
      `  pullguard rounds: ${ours.map((r) => `${Math.round(r.rps)} req/s, p99 ${r.p99Ms.toFixed(2)} ms`).join('; ')}`,
    );
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    const failures = ours.reduce((n, r) => n + r.non2xx + r.errors, 0);
    const p99 = summarize(ours.map((r) => r.p99Ms));
    const rss = memory.map((m) => Math.round((m.rss / MB) * 10) / 10);
    const last = memory[memory.length - 1];
    const settled = await pullguard.ask({ type: 'memory', gc: true }, 'memory');
    return {
      admissionVsBareExpress: {
        ...result,
        unit: 'req/s',
        labels: ['pullguard admission', 'bare Express'],
        input: `AdmissionReview of Argo CD's argocd-dex-server Deployment (${body.length} bytes, allowed: ${allowed}); ${(roundMs / 1000).toFixed(1)} s rounds, c=10`,
        details: { failures, requestsPerRound: ours.map((r) => r.requests) },
      },
      admissionP99Ms: {
        value: p99.median,
        spread:
          `${p99.median.toFixed(2)} ms (${p99.min.toFixed(2)}–${p99.max.toFixed(2)}) over ${ours.length} rounds; ` +
          `p50 ${summarize(ours.map((r) => r.p50Ms)).median.toFixed(2)} ms; ` +
          `the bare Express route on the same machine: p99 ${summarize(theirs.map((r) => r.p99Ms)).median.toFixed(2)} ms`,
        note: `p99 per ${(roundMs / 1000).toFixed(1)} s round of the pullguard server, c=10`,
        input: 'same requests as admissionVsBareExpress',
      },
      serverRssMb: {
        // "< 150, flat": the peak over the load rounds, not whichever value the last GC left
        value: Math.max(...memory.slice(2).map((m) => m.rss)) / MB,
        spread: `at start ${rss[0]} MB, ${fill ? 'after the fill' : 'before the rounds'} ${rss[1]} MB (heap ${Math.round(afterFill.heapUsed / MB)} MB), after each round ${rss.slice(2).join(', ')} MB`,
        note:
          `peak RSS over ${Math.round(loadSeconds)} s of admission load, ${rss[rss.length - 1]} MB at the end ` +
          `(cache ${JSON.stringify(last.cache)}); ` +
          `after a full GC: RSS ${Math.round(settled.rssAfterGc / MB)} MB, heap used ${Math.round(settled.heapAfterGc / MB)} MB, ` +
          `external ${Math.round(settled.external / MB)} MB; V8 spaces committed/used: ${spacesText(settled.spaces)}`,
        input: fill
          ? `cache filled with ${filled.ok} reviews × ${containers} distinct images, then the rounds above`
          : 'no fill',
      },
    };
  } finally {
    for (const h of helpers) h.stop();
  }
}

/** The pullguard server under admission load for ~8 s, profiled (its process writes the profile on exit). */
export async function profile() {
  const body = reviewBody();
  const pullguard = helper('server-child.mjs', ['pullguard'], { stdout: 'ignore' });
  const load = helper('load-child.mjs');
  try {
    const { port } = await pullguard.ask({ type: 'start' }, 'listening', 30_000);
    const url = `http://127.0.0.1:${port}${PATH}`;
    for (let i = 0; i < 4; i++) {
      await load.ask(
        { type: 'round', url, body, connections: 10, durationMs: 2_000, maxRequests: 500_000 },
        'round',
      );
    }
    const scenario = {
      value: 1,
      pid: pullguard.child.pid,
      scenario:
        'the pullguard server (startServer, bench policy) under 8 s of c=10 admission load with the review of admissionVsBareExpress',
    };
    // serverRssMb is memory: its figure's note gives the heap after a full GC and the heap spaces
    return { admissionVsBareExpress: scenario, admissionP99Ms: scenario };
  } finally {
    const exited = new Promise((resolve) => pullguard.child.once('exit', resolve));
    pullguard.stop();
    load.stop();
    await exited;
  }
}
