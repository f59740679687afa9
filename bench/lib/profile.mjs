/**
 * Where a missed target's time goes: re-runs the pullguard side of the measurement under
 * `node --cpu-prof` (the module's `profile()` export) and ranks functions by self time.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { repoRoot } from './paths.mjs';
import { MEASURES, runMeasure } from './runner.mjs';

function location(url, line) {
  if (!url) return '';
  if (!url.startsWith('file://')) return `${url}:${line + 1}`; // node:internal/…
  const path = new URL(url).pathname;
  const pnpm = path.indexOf('/node_modules/.pnpm/');
  const shown =
    pnpm >= 0 ? path.slice(path.indexOf('/node_modules/', pnpm + 20) + 14) : relative(repoRoot, path);
  return `${shown}:${line + 1}`;
}

/** Where a location belongs when self time is summed per file: the package for dependencies. */
function fileOf(where) {
  if (where === '') return '(VM: GC, native)';
  if (where.startsWith('node:')) return 'node: internals (module loading, fs, …)';
  const file = where.slice(0, where.lastIndexOf(':'));
  if (file.startsWith('packages/') || file.startsWith('bench/')) return file;
  return file.startsWith('@') ? file.split('/').slice(0, 2).join('/') : file.split('/')[0];
}

/**
 * Nodes under a call into node:inspector: the profiler building its own result when
 * `Profiler.stop` is posted (`dispatch`, a native without script location, under `post`). Samples
 * there measure the measurement, so they are left out.
 */
function profilerNodes(profile) {
  const inside = new Set();
  const visit = (node, under) => {
    const here = under || node.callFrame.url.startsWith('node:inspector');
    if (here) inside.add(node.id);
    for (const child of node.children ?? []) visit(byId.get(child), here);
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const root = profile.nodes[0];
  if (root) visit(root, false);
  return inside;
}

/**
 * One .cpuprofile ranked by self time: `top` functions (`{ name, where, selfMs, share }`) and
 * `files` (self time summed per source file, or per package for dependencies).
 */
export function topSelfTime(profile, limit = 12) {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const profiler = profilerNodes(profile);
  const self = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byNode.get(profile.samples[i]);
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    if (!node || node.callFrame.functionName === '(idle)' || profiler.has(node.id)) continue;
    total += dt;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'}\u0000${location(url, lineNumber)}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  const files = new Map();
  for (const [key, ms] of self) {
    const file = fileOf(key.split('\u0000')[1]);
    files.set(file, (files.get(file) ?? 0) + ms);
  }
  const rank = (entries) => [...entries].sort((a, b) => b[1] - a[1]).slice(0, limit);
  const share = (ms) => Math.round((ms / total) * 1000) / 10;
  return {
    totalMs: Math.round(total),
    top: rank(self.entries()).map(([key, ms]) => {
      const [name, where] = key.split('\u0000');
      return { name, where, selfMs: Math.round(ms), share: share(ms) };
    }),
    files: rank(files.entries()).map(([file, ms]) => ({ file, selfMs: Math.round(ms), share: share(ms) })),
  };
}

/** The profile a process writes when it exits (the measurement process may still be exiting): waits up to 10 s. */
async function profileOf(dir, pid) {
  for (let waited = 0; waited < 10_000; waited += 100) {
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile') && f.includes(`.${pid}.`));
    if (file) {
      // written in one go at exit; give the writer a moment to finish
      await new Promise((resolve) => setTimeout(resolve, 200));
      return file;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

/** `{ [key]: { module, totalMs, top } }` for each missed key whose module can be profiled. */
export async function profileMissed(keys, { log }) {
  const profiles = {};
  for (const measure of MEASURES) {
    const missed = measure.keys.filter((k) => keys.includes(k));
    if (missed.length === 0) continue;
    const dir = mkdtempSync(join(tmpdir(), 'pullguard-prof-'));
    try {
      const results = await runMeasure(measure, {
        quick: false,
        deadline: Date.now() + 60_000,
        budgetMs: 60_000,
        log,
        profile: true,
        profileDir: dir,
        execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
      });
      for (const key of missed) {
        // a profile() may describe one scenario per key, or one for the whole module
        // a CPU profile says nothing about memory: only keys whose scenario the module names get one
        const scenario = results[key];
        // a scenario names its profile, or the process that ran pullguard (which writes one at exit)
        const file = scenario?.profileFile
          ? scenario.profileFile
          : scenario?.pid
            ? await profileOf(dir, scenario.pid)
            : undefined;
        if (!file) {
          log(
            `bench: no profile for ${key}: ${scenario?.reason ?? 'no .cpuprofile of the pullguard process'}`,
          );
          continue;
        }
        const ranked = topSelfTime(JSON.parse(readFileSync(resolve(dir, file), 'utf8')));
        profiles[key] = { module: measure.name, scenario: scenario.scenario, ...ranked };
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return profiles;
}
