#!/usr/bin/env node
/**
 * The soak test: the built server (`node packages/server/dist/main.js`, the example policies and
 * namespaces, request logs on) under 60 s of admission load with malformed requests interleaved,
 * every answer checked (bench/soak/requests.mjs), its resident set sampled every second.
 *
 *   pnpm soak                                  60 s, 8 connections
 *   pnpm soak --duration 10 --connections 4    shorter
 *   pnpm -s soak --json                        the summary as one JSON object on stdout
 *
 * Exits 1 when any answer was wrong or missing (the summary lists the first ones), 0 otherwise.
 * Not a timed test: it reports throughput, latency and memory, and fails only on wrong answers.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { environment } from './lib/environment.mjs';
import { repoRoot } from './lib/paths.mjs';
import { percentileSorted, round } from './lib/stats.mjs';
import { NAMESPACES_FILE, POLICY_DIR, soakRequests } from './soak/requests.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const durationS = option('duration', 60);
const connections = option('connections', 8);
const json = args.includes('--json');
const log = (line) => process.stderr.write(`${line}\n`);
/** An answer later than this is a failure ("no hang"); the server's own deadline is 10 s. */
const ANSWER_BOUND_MS = 15_000;

const main = join(repoRoot, 'packages', 'server', 'dist', 'main.js');
if (!existsSync(main)) {
  log(`${main} is missing: run pnpm build first (pnpm soak does)`);
  process.exit(2);
}

const requests = await soakRequests();
const server = await startServer();
process.on('exit', () => stopServer(server.child));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const env = environment();
const rss = [{ at: 0, mb: residentMb(server.child.pid) }];
log(
  `soak: ${durationS} s, ${connections} connections, ${requests.good} distinct good requests, ` +
    `${requests.malformed} kinds of malformed ones, against ${server.url} (load ${env.loadAverage.join(' ')})`,
);

const agent = new Agent({ keepAlive: true, maxSockets: connections });
const latencies = { good: [], malformed: [] };
const counts = { validate: 0, mutate: 0, evaluate: 0, malformed: 0 };
const failures = [];
let failed = 0;
let sent = 0;
const started = performance.now();
const deadline = started + durationS * 1000;
const sampler = setInterval(() => {
  rss.push({ at: Math.round((performance.now() - started) / 1000), mb: residentMb(server.child.pid) });
}, 1000);

await Promise.all(Array.from({ length: connections }, () => worker()));
const elapsedS = (performance.now() - started) / 1000;
clearInterval(sampler);
await new Promise((resolve) => setTimeout(resolve, 1000));
rss.push({ at: Math.round(elapsedS + 1), mb: residentMb(server.child.pid) });
const loadAfter = environment().loadAverage;
agent.destroy();

const summary = summarize();
if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
else printSummary(summary);
process.exit(failed === 0 ? 0 : 1);

async function worker() {
  while (performance.now() < deadline) {
    const i = sent++;
    const r = requests.next(i);
    const t0 = performance.now();
    let problem;
    try {
      const { status, body } = await send(r);
      problem = r.check(status, body);
    } catch (error) {
      problem = error.message;
    }
    const ms = performance.now() - t0;
    if (ms > ANSWER_BOUND_MS) problem ??= `answered after ${Math.round(ms)} ms`;
    (r.kind === 'malformed' ? latencies.malformed : latencies.good).push(ms);
    counts[r.kind]++;
    if (problem !== undefined) {
      failed++;
      if (failures.length < 10)
        failures.push(`${r.kind}${r.name ? ` (${r.name})` : ''} ${r.path}: ${problem}`);
    }
  }
}

function send(r) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: server.host,
        port: server.port,
        method: 'POST',
        path: r.path,
        agent,
        headers: { 'content-type': r.contentType, 'content-length': r.body.length },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          let body;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode, body });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(ANSWER_BOUND_MS, () => req.destroy(new Error(`no answer within ${ANSWER_BOUND_MS} ms`)));
    req.on('error', reject);
    req.end(r.body);
  });
}

function summarize() {
  const stats = (values) => {
    const sorted = Float64Array.from(values).sort();
    return {
      count: sorted.length,
      p50Ms: round(percentileSorted(sorted, 50)),
      p99Ms: round(percentileSorted(sorted, 99)),
      maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
    };
  };
  const mbs = rss.map((s) => s.mb).filter((mb) => mb !== undefined);
  return {
    command: `pnpm soak${args.length ? ` ${args.join(' ')}` : ''}`,
    durationS: round(elapsedS),
    connections,
    requests: sent,
    requestsPerSecond: round(sent / elapsedS),
    counts,
    good: stats(latencies.good),
    malformed: stats(latencies.malformed),
    wrongOrMissingAnswers: failed,
    failures,
    rssMb: { start: mbs[0], peak: Math.max(...mbs), end: mbs[mbs.length - 1], samples: rss },
    machine: {
      cpu: env.cpu,
      cores: env.cores,
      loadAverageBefore: env.loadAverage,
      loadAverageAfter: loadAfter,
      node: env.node,
      commit: env.commit,
    },
  };
}

function printSummary(s) {
  const line = (k, v) => process.stdout.write(`${k.padEnd(24)}${v}\n`);
  line('duration', `${s.durationS} s, ${s.connections} connections`);
  line(
    'requests',
    `${s.requests} (${s.requestsPerSecond}/s): ${Object.entries(s.counts)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
  line('good requests', `p50 ${s.good.p50Ms} ms, p99 ${s.good.p99Ms} ms, max ${s.good.maxMs} ms`);
  line(
    'malformed requests',
    `p50 ${s.malformed.p50Ms} ms, p99 ${s.malformed.p99Ms} ms, max ${s.malformed.maxMs} ms`,
  );
  line('wrong/missing answers', String(s.wrongOrMissingAnswers));
  for (const f of s.failures) line('', f);
  line('server RSS', `start ${s.rssMb.start} MB, peak ${s.rssMb.peak} MB, end ${s.rssMb.end} MB`);
  line(
    'RSS every 10 s',
    s.rssMb.samples
      .filter((x) => x.at % 10 === 0)
      .map((x) => `${x.at}s ${x.mb}`)
      .join(', '),
  );
  line(
    'machine',
    `${s.machine.cpu}, ${s.machine.cores} cores, load ${s.machine.loadAverageBefore.join(' ')} → ${s.machine.loadAverageAfter.join(' ')}`,
  );
}

/** The server process, on a free port, its request logs (JSON lines on stdout) drained as a shipper would. */
function startServer() {
  const child = spawn(
    process.execPath,
    [
      main,
      '--policy',
      POLICY_DIR,
      '--namespaces-file',
      NAMESPACES_FILE,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--no-watch',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  child.stdout.resume();
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
      const url = /listening on (\S+)/.exec(stderr)?.[1];
      if (url) {
        const { hostname, port } = new URL(url);
        resolve({ child, url, host: hostname, port: Number(port) });
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`the server exited (${code}) before listening:\n${stderr}`)),
    );
  });
}

function stopServer(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** The resident set of a process in MB, from /proc (Linux); undefined elsewhere. */
function residentMb(pid) {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}
