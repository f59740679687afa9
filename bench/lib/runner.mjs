/** Runs each measurement module in its own process with a time budget; a failure costs only its keys. */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { killTree, track } from './children.mjs';
import { benchDir } from './paths.mjs';
import { loadRealCorpus } from './real-corpus.mjs';

/**
 * In run order. `quick`: the time (ms) a module needs in quick mode on a loaded machine; it may
 * use what earlier modules left, but never the time later modules need. `fullMs`: the most a
 * full-run module may take. A module is stopped when its time is spent.
 */
export const MEASURES = [
  {
    name: 'eval-vs-json',
    keys: ['evalVsJsonParse', 'warmVsCold', 'celVsPullguard', 'jsonLogicNaiveVsPullguard'],
    quick: 10_000,
    fullMs: 120_000,
    group: true,
  },
  { name: 'cache', keys: ['cacheHitVsMapGet'], quick: 1_500, fullMs: 60_000, group: true },
  { name: 'cel', keys: ['celDisagreements'], quick: 2_500, fullMs: 120_000, group: true },
  {
    name: 'plugins',
    keys: ['pluginWorkerVsInProcess', 'pluginWorkerVsInProcessWarm'],
    quick: 4_000,
    fullMs: 120_000,
    group: true,
  },
  {
    name: 'scaling',
    keys: ['namespaceScaling', 'allowlistScaling'],
    quick: 6_000,
    fullMs: 180_000,
    group: true,
  },
  {
    name: 'admission',
    keys: ['admissionVsBareExpress', 'admissionP99Ms', 'serverRssMb'],
    quick: 18_000,
    fullMs: 300_000,
  },
  { name: 'cli', keys: ['cliVsParseOnly', 'cliStartupOverheadMs'], quick: 11_000, fullMs: 180_000 },
  {
    name: 'registry',
    keys: ['admissionPinWarmP99Ms', 'registryRequestsPerTag'],
    quick: 9_000,
    fullMs: 120_000,
  },
].map((m) => ({ ...m, files: [join(benchDir, 'measures', `${m.name}.mjs`)] }));

/**
 * Quick runs merge consecutive in-process modules (`group`) into one process: the engine's start-up
 * (imports, createEngine) is paid once instead of five times. Full runs keep one process each.
 */
export function plan(measures, quick) {
  if (!quick) return measures;
  const planned = [];
  for (const m of measures) {
    const last = planned[planned.length - 1];
    if (m.group && last?.group) {
      planned[planned.length - 1] = {
        ...last,
        name: `${last.name}+${m.name}`,
        keys: [...last.keys, ...m.keys],
        quick: last.quick + m.quick,
        files: [...last.files, ...m.files],
      };
    } else {
      planned.push(m);
    }
  }
  return planned;
}

export function timingSettings(quick, deadline) {
  return quick
    ? { pairs: 5, sampleMs: 40, warmupMs: 30, deadline }
    : { pairs: 9, sampleMs: 300, warmupMs: 300, deadline };
}

/** `value` = the figure itself or the median pair ratio; a module may add secondary figures (docs only). */
function normalize(results) {
  const out = {};
  for (const [key, r] of Object.entries(results)) {
    out[key] = { ...r, value: r.value !== undefined ? r.value : (r.ratio?.median ?? null) };
    if (out[key].value === null && !out[key].reason) out[key].reason = 'no value';
  }
  return out;
}

/** Forks `lib/measure-child.mjs` for one module; resolves to `{ [key]: result }` (value null + reason on failure). */
export function runMeasure(
  measure,
  { quick, deadline, log, budgetMs, profile = false, profileDir, execArgv = [], compareLru = false },
) {
  // --compare-lru measures the modules' figures twice over
  const limit = quick ? budgetMs : Math.min(budgetMs, measure.fullMs * (compareLru ? 2 : 1));
  const started = Date.now();
  log(`bench: ${measure.name} (${measure.keys.join(', ')})…`);
  const failed = (reason) => {
    log(`bench: ${measure.name}: ${reason}`);
    return Object.fromEntries(measure.keys.map((key) => [key, { value: null, reason }]));
  };
  return new Promise((resolve) => {
    const child = track(
      fork(join(benchDir, 'lib', 'measure-child.mjs'), measure.files, {
        execArgv: ['--expose-gc', ...execArgv],
        stdio: ['ignore', 2, 2, 'ipc'],
        detached: true,
      }),
    );
    let settled = false;
    const partial = {};
    const settle = (value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      killTree(child);
      if (!settled)
        settle({ ...failed(`timed out after ${Math.round(limit / 1000)} s`), ...normalize(partial) });
    }, limit);
    child.on('message', (message) => {
      if (settled) return;
      if (message.partial) {
        Object.assign(partial, message.partial);
        log(
          `bench: ${Object.keys(message.partial).join(', ')}: measured (${((Date.now() - started) / 1000).toFixed(1)} s)`,
        );
        return;
      }
      const results = normalize(partial);
      for (const key of measure.keys) results[key] ??= { value: null, reason: 'not measured' };
      log(`bench: ${measure.name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      settle(results);
    });
    child.on('exit', (code, signal) => {
      // wait a moment: the result message may still be in flight when the exit event fires
      setTimeout(() => {
        if (!settled) settle(failed(`exited (${signal ?? code}) without a result`));
      }, 100);
    });
    // the module's own deadline leaves it time to report before it is stopped
    const own = Math.min(deadline, started + limit - 1_500);
    child.send({
      corpus: loadRealCorpus(),
      quick,
      deadline: own,
      budgetMs: limit,
      profile,
      profileDir,
      compareLru,
      timing: timingSettings(quick, own),
    });
  });
}
