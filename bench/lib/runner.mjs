/** Runs each measurement module in its own process with a time budget; a failure costs only its keys. */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { killTree, track } from './children.mjs';
import { benchDir } from './paths.mjs';

/**
 * In run order. `quick`/`fullMs`: the share of the quick run's time budget a module gets (it is
 * stopped when its share is spent), and the most a full-run module may take.
 */
export const MEASURES = [
  { name: 'eval-vs-json', keys: ['evalVsJsonParse', 'warmVsCold'], quick: 6, fullMs: 120_000 },
  { name: 'cache', keys: ['cacheHitVsMapGet'], quick: 2, fullMs: 60_000 },
  { name: 'cel', keys: ['celVsPullguard', 'celDisagreements'], quick: 6, fullMs: 120_000 },
  { name: 'json-logic', keys: ['jsonLogicNaiveVsPullguard'], quick: 3, fullMs: 60_000 },
  { name: 'scaling', keys: ['namespaceScaling', 'allowlistScaling'], quick: 6, fullMs: 180_000 },
  { name: 'cli', keys: ['cliVsParseOnly', 'cliStartupOverheadMs'], quick: 7, fullMs: 180_000 },
  {
    name: 'admission',
    keys: ['admissionVsBareExpress', 'admissionP99Ms', 'serverRssMb'],
    quick: 20,
    fullMs: 300_000,
  },
].map((m) => ({ ...m, file: join(benchDir, 'measures', `${m.name}.mjs`) }));

export function timingSettings(quick, deadline) {
  return quick
    ? { pairs: 5, sampleMs: 60, warmupMs: 40, deadline }
    : { pairs: 9, sampleMs: 300, warmupMs: 300, deadline };
}

/** Forks `lib/measure-child.mjs` for one module; resolves to `{ [key]: result }` (value null + reason on failure). */
export function runMeasure(
  measure,
  { quick, deadline, log, budgetMs, profile = false, profileDir, execArgv = [] },
) {
  const limit = quick ? budgetMs : Math.min(budgetMs, measure.fullMs);
  const started = Date.now();
  log(`bench: ${measure.name} (${measure.keys.join(', ')})…`);
  const failed = (reason) => {
    log(`bench: ${measure.name}: ${reason}`);
    return Object.fromEntries(measure.keys.map((key) => [key, { value: null, reason }]));
  };
  return new Promise((resolve) => {
    const child = track(
      fork(join(benchDir, 'lib', 'measure-child.mjs'), [measure.file], {
        execArgv: ['--expose-gc', ...execArgv],
        stdio: ['ignore', 2, 2, 'ipc'],
        detached: true,
      }),
    );
    let settled = false;
    const settle = (value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      killTree(child);
      if (!settled) settle(failed(`timed out after ${Math.round(limit / 1000)} s`));
    }, limit);
    child.on('message', (message) => {
      if (settled) return;
      if (!message.ok) {
        settle(failed(message.unavailable ? message.reason : `crashed: ${message.reason}`));
        return;
      }
      const results = {};
      for (const key of measure.keys) {
        const r = message.results[key];
        if (!r) results[key] = { value: null, reason: 'not measured' };
        else results[key] = { ...r, value: r.value !== undefined ? r.value : (r.ratio?.median ?? null) };
        if (results[key].value === null && !results[key].reason) results[key].reason = 'no value';
      }
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
      quick,
      deadline: own,
      budgetMs: limit,
      profile,
      profileDir,
      timing: timingSettings(quick, own),
    });
  });
}
