#!/usr/bin/env node
/**
 * pullguard's benchmark harness. Every figure is a ratio (or a latency/memory figure) measured in
 * this run, A and B interleaved; see docs/benchmarks.md.
 *
 *   pnpm bench                       full run (a few minutes), writes docs/benchmarks.md
 *   pnpm -s bench --quick --json     ~ 1 min, prints ONE JSON object on stdout, progress on stderr
 *
 * Options: --quick, --json, --only key1,key2, --no-build, --write / --no-write, --no-profile,
 * --render (rewrite docs/benchmarks.md from the last written run, e.g. after editing bench/NOTES.md;
 * without that run, only the NOTES.md part of the page),
 * --compare-lru (also measure the engine with lru-cache in place of its LruMap: lib/lru-variant.mjs).
 * Exits 0 whenever it ran (missed targets included); non-zero only when the harness itself crashes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAll } from './lib/children.mjs';
import { environment } from './lib/environment.mjs';
import { repoRoot } from './lib/paths.mjs';
import { profileMissed } from './lib/profile.mjs';
import { loadRealCorpus } from './lib/real-corpus.mjs';
import { renderMarkdown, withCurrentNotes } from './lib/report.mjs';
import { MEASURES, plan, runMeasure } from './lib/runner.mjs';
import { round } from './lib/stats.mjs';
import { KEYS, meets, targetText } from './lib/targets.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return args[i].includes('=') ? args[i].slice(args[i].indexOf('=') + 1) : args[i + 1];
};

const quick = flag('quick');
const json = flag('json');
const only = option('only')?.split(',');
const log = (line) => process.stderr.write(`${line}\n`);
const started = Date.now();
// Set after the build. Quick: 65 s after the start, build included, so that the whole command ends
// in about a minute on a loaded 2-core machine (an uncached build leaves less time to measure): the
// sum of the modules' quick budgets (lib/runner.mjs) and a margin.
let deadline;

const FLAGS = [
  'quick',
  'json',
  'only',
  'no-build',
  'write',
  'no-write',
  'no-profile',
  'render',
  'compare-lru',
];
for (const arg of args) {
  const name = arg.startsWith('--') ? arg.slice(2).split('=')[0] : undefined;
  if (name !== undefined && !FLAGS.includes(name)) {
    log(`bench: unknown option ${arg} (options: ${FLAGS.map((f) => `--${f}`).join(' ')})`);
    process.exit(2);
  }
}
const unknownKeys = only?.filter((key) => !KEYS.includes(key)) ?? [];
if (unknownKeys.length > 0) {
  log(`bench: --only names unknown keys: ${unknownKeys.join(', ')} (keys: ${KEYS.join(', ')})`);
  process.exit(2);
}

function build() {
  if (flag('no-build')) return;
  log('bench: building the packages (turbo)…');
  const result = spawnSync('pnpm', ['-s', 'build'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    log(`bench: the build failed (status ${result.status}); measuring whatever dist/ exists.`);
    if (result.stderr) log(result.stderr.split('\n').slice(-15).join('\n'));
  }
  log(`bench: build done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function printSummary(results) {
  log('');
  for (const key of KEYS) {
    const r = results[key];
    const value = r?.value ?? null;
    const met = meets(key, value);
    const mark = met === undefined ? ' ' : met ? '✓' : '✗';
    const spread = r?.ratio
      ? `  (median of ${r.pairs} pairs, ${round(r.ratio.min)}–${round(r.ratio.max)})`
      : '';
    log(
      `${mark} ${key.padEnd(26)} ${String(round(value)).padStart(8)}   target ${targetText(key)}${spread}${r?.reason ? `  — ${r.reason}` : ''}`,
    );
  }
  // secondary figures (docs/benchmarks.md's table of them), e.g. those of --compare-lru
  for (const [key, r] of Object.entries(results)) {
    if (KEYS.includes(key) || r?.value === null || r?.value === undefined) continue;
    const detail = r.ratio
      ? `median of ${r.pairs} pairs, ${round(r.ratio.min)}–${round(r.ratio.max)}`
      : (r.spread ?? '');
    log(`  ${r.title ?? key}: ${round(r.value)}${detail ? `  (${detail})` : ''}`);
  }
}

/** Filled as measurements finish, so that the watchdog can still print what was measured. */
const results = {};

/** The one JSON object on stdout: every key, a number or null. */
let printed = false;
function printJson() {
  if (printed) return;
  printed = true;
  const output = {};
  for (const key of KEYS) {
    if (!only || only.includes(key)) output[key] = round(results[key]?.value ?? null, 4);
  }
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

const DOCS = join(repoRoot, 'docs', 'benchmarks.md');
const LAST_RUN = join(tmpdir(), 'pullguard-bench-last-run.json');

function writeDocs(run) {
  writeFileSync(DOCS, renderMarkdown(run));
  log(`bench: wrote ${DOCS}`);
}

async function main() {
  if (flag('render')) {
    if (existsSync(LAST_RUN)) writeDocs(JSON.parse(readFileSync(LAST_RUN, 'utf8')));
    else {
      writeFileSync(DOCS, withCurrentNotes(readFileSync(DOCS, 'utf8')));
      log(`bench: ${LAST_RUN} is not here: put bench/NOTES.md into ${DOCS}, figures unchanged`);
    }
    return;
  }
  build();
  loadRealCorpus(); // once for the whole run: every measurement process gets it over IPC
  // quick: end 65 s after the start, build included (an uncached build leaves less to measure)
  deadline = quick ? Math.max(started + 65_000, Date.now() + 10_000) : Date.now() + 15 * 60_000;
  // The run must end by itself even if something hangs: print what was measured and stop.
  const watchdog = setTimeout(
    () => {
      log('bench: watchdog: time budget exhausted, ending the run');
      killAll();
      if (json) printJson();
      process.exit(0);
    },
    deadline - Date.now() + (quick ? 2_500 : 60_000),
  );
  watchdog.unref();
  const selected = plan(
    MEASURES.filter((m) => !only || m.keys.some((k) => only.includes(k))),
    quick,
  );
  for (const [index, measure] of selected.entries()) {
    const remaining = deadline - Date.now();
    // quick: what is left, minus what the later modules need (lib/runner.mjs)
    const later = selected.slice(index + 1).reduce((sum, m) => sum + m.quick, 0);
    const budgetMs = quick ? Math.min(remaining, Math.max(measure.quick, remaining - later)) : remaining;
    // not even half of what the module needs is left: skip it rather than stop it half-way
    if (remaining < 3_000 || (quick && remaining < measure.quick / 2)) {
      for (const key of measure.keys) results[key] = { value: null, reason: 'skipped: out of time budget' };
      log(`bench: ${measure.name}: skipped (out of time)`);
      continue;
    }
    Object.assign(
      results,
      await runMeasure(measure, { quick, deadline, log, budgetMs, compareLru: flag('compare-lru') }),
    );
  }
  const env = environment();
  printSummary(results);

  if (json) printJson();

  const write = flag('write') || (!quick && !only && !flag('no-write'));
  if (write) {
    const missed = KEYS.filter((k) => meets(k, results[k]?.value) === false);
    const profiles = flag('no-profile') ? {} : await profileMissed(missed, { log });
    const command = `pnpm bench${args.length ? ` ${args.join(' ')}` : ''}`;
    const run = { results, env, command, quick, profiles, seconds: (Date.now() - started) / 1000 };
    // kept so that --render can redo the page (e.g. after editing bench/NOTES.md) without re-measuring
    writeFileSync(LAST_RUN, JSON.stringify(run));
    writeDocs(run);
  }
  log(`bench: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().then(
  () => {
    killAll();
    process.exit(0);
  },
  (error) => {
    killAll();
    log(`bench: crashed: ${error.stack ?? error}`);
    process.exit(1);
  },
);
