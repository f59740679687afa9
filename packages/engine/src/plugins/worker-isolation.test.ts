/**
 * Plugins loaded by specifier run in worker threads: what no timer on a promise can stop (a
 * synchronous loop, a module that never finishes loading, a `prepare` that spins) is stopped by
 * terminating the thread, and the engine keeps answering.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { PullguardAggregateError, PullguardError } from '../errors.js';
import { deployment, engineFor, policyUsing } from '../evaluate/__fixtures__/engine-harness.js';
import type { PluginDefinition } from '../rule-contract.js';
import { closePlugins, loadPlugins } from './load-plugins.js';
import { MAX_IN_FLIGHT, MAX_QUEUED } from './plugin-pool.js';

const fixtures = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
// Worker threads start slowly on a loaded machine; no assertion here depends on how slowly.
vi.setConfig({ testTimeout: 90_000 });
const web = deployment('web', 'prod', [{ image: 'nginx:1.25' }]);
const loaded: PluginDefinition[][] = [];
afterAll(() => Promise.all(loaded.map((plugins) => closePlugins(plugins))));

async function load(specifier: string, workers = 1): Promise<PluginDefinition[]> {
  const plugins = await loadPlugins([specifier], { cwd: fixtures, workers });
  loaded.push(plugins);
  return plugins;
}

const rows = (report: { findings: { rule: string; status: string; message: string }[] }) =>
  report.findings.map((f) => [f.rule, f.status, f.message]);

describe('a plugin rule that never returns', () => {
  it('is answered RULE_TIMEOUT, and later evaluations run on a fresh worker', async () => {
    const plugins = await load('./spinning.mjs');
    // Room to answer on a loaded machine; the spinning rule's own timeout can be short.
    const thread = engineFor(policyUsing(['spin/thread']), { plugins, ruleTimeoutMs: 5000 });
    const [before] = rows(await thread.evaluateText(web));
    expect(before).toEqual(['spin/thread', 'violation', expect.stringMatching(/^thread \d+$/)]);

    const spinning = engineFor(policyUsing(['spin/forever']), { plugins, ruleTimeoutMs: 200 });
    expect(rows(await spinning.evaluateText(web))).toEqual([
      ['spin/forever', 'error', 'RULE_TIMEOUT: rule spin/forever did not answer within 200 ms'],
    ]);

    const [after] = rows(await thread.evaluateText(web));
    expect(after).toEqual(['spin/thread', 'violation', expect.stringMatching(/^thread \d+$/)]);
    expect(after?.[2]).not.toBe(before?.[2]);
    // And again: the replacement is as good as the first worker.
    expect(rows(await spinning.evaluateText(web))[0]?.[2]).toMatch(/^RULE_TIMEOUT/);
    expect(rows(await thread.evaluateText(web))[0]?.[1]).toBe('violation');
  });

  it('does not stop the main thread: timers and other work run while the plugin spins', async () => {
    const plugins = await load('./spinning.mjs');
    const engine = engineFor(policyUsing(['spin/forever']), { plugins, ruleTimeoutMs: 300 });
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const report = await engine.evaluateText(web);
    clearInterval(ticker);
    expect(report.findings[0]?.message).toMatch(/^RULE_TIMEOUT/);
    expect(ticks).toBeGreaterThan(0);
  });

  it('answers the other calls running on a worker it stopped with RULE_ERROR naming why', async () => {
    const plugins = await load('./spinning.mjs');
    // On the pool's one worker: a slow async call (long timeout), then a call that spins.
    const sleepy = engineFor(policyUsing(['spin/sleepy']), { plugins, ruleTimeoutMs: 50_000 });
    const spinning = engineFor(policyUsing(['spin/forever']), { plugins, ruleTimeoutMs: 200 });
    const waiting = sleepy.evaluateText(web);
    expect(rows(await spinning.evaluateText(web))[0]?.[2]).toMatch(/^RULE_TIMEOUT/);
    expect(rows(await waiting)).toEqual([
      [
        'spin/sleepy',
        'error',
        'RULE_ERROR: rule spin/sleepy was stopped: rule spin/forever kept its plugin worker busy past its timeout of 200 ms; the worker was replaced',
      ],
    ]);
  });

  it('answers a rule that ends its thread with RULE_ERROR, and replaces the worker', async () => {
    const plugins = await load('./spinning.mjs');
    const exits = engineFor(policyUsing(['spin/exits']), { plugins, ruleTimeoutMs: 5000 });
    expect(rows(await exits.evaluateText(web))).toEqual([
      [
        'spin/exits',
        'error',
        'RULE_ERROR: rule spin/exits was stopped: its plugin worker exited (code 3); the worker was replaced',
      ],
    ]);
    const thread = engineFor(policyUsing(['spin/thread']), { plugins, ruleTimeoutMs: 5000 });
    expect(rows(await thread.evaluateText(web))[0]?.[1]).toBe('violation');
  });

  it('bounds the calls waiting for a worker: past the bound a call is RULE_ERROR at once', async () => {
    const plugins = await load('./spinning.mjs');
    const engine = engineFor(policyUsing(['spin/sleepy']), { plugins, ruleTimeoutMs: 300 });
    const images = MAX_IN_FLIGHT + MAX_QUEUED + 5;
    const pods = Array.from(
      { length: images },
      (_, i) =>
        `apiVersion: v1\nkind: Pod\nmetadata: { name: p${i}, namespace: prod }\nspec:\n  containers: [{ name: c, image: "app:${i}" }]\n`,
    ).join('---\n');
    const messages = (await engine.evaluateText(pods)).findings.map((f) => f.message);
    const count = (message: string) => messages.filter((m) => m === message).length;
    expect(count('RULE_TIMEOUT: rule spin/sleepy did not answer within 300 ms')).toBe(
      MAX_IN_FLIGHT + MAX_QUEUED,
    );
    expect(
      count(
        `RULE_ERROR: rule spin/sleepy was not run: ${MAX_QUEUED} rule calls are already waiting for a plugin worker`,
      ),
    ).toBe(5);
  });
});

describe('worker-loaded plugins keep every guarantee of in-process rules', () => {
  it('turns a throw, a rejection, a hang, garbage, a throwing getter and a write to the facts into error findings', async () => {
    const plugins = await load('./misbehaving.mjs', 2);
    const ids = ['throws', 'rejects', 'hangs', 'garbage', 'getter', 'writes', 'async-ok'].map(
      (r) => `bad/${r}`,
    );
    const engine = engineFor(policyUsing(ids), { plugins, ruleTimeoutMs: 1000 });
    expect(rows(await engine.evaluateText(web))).toEqual([
      ['bad/async-ok', 'violation', 'nginx:1.25 checked remotely'],
      ['bad/garbage', 'error', expect.stringMatching(/^RULE_ERROR: rule bad\/garbage returned a number/)],
      ['bad/getter', 'error', expect.stringMatching(/^RULE_ERROR: rule bad\/getter threw: read me not/)],
      ['bad/hangs', 'error', 'RULE_TIMEOUT: rule bad/hangs did not answer within 1000 ms'],
      ['bad/rejects', 'error', 'RULE_ERROR: rule bad/rejects rejected: service said 503'],
      ['bad/throws', 'error', 'RULE_ERROR: rule bad/throws threw: boom'],
      ['bad/writes', 'error', expect.stringMatching(/^RULE_ERROR: rule bad\/writes threw: Cannot assign/)],
    ]);
  });

  it('keeps prepared options in the worker, even those that cannot cross threads', async () => {
    const plugins = await load('./misbehaving.mjs', 2);
    const engine = engineFor(policyUsing(['bad/prepared']), { plugins });
    expect(rows(await engine.evaluateText(web))).toEqual([['bad/prepared', 'violation', 'p/prod matched']]);
    const other = engineFor(policyUsing(['{ rule: bad/prepared, with: { prefix: redis } }']), { plugins });
    expect((await other.evaluateText(web)).findings).toEqual([]);
  });

  it('time-boxes prepare at policy load: PLUGIN_INVALID naming the plugin and rule, at the entry', async () => {
    const plugins = await loadPlugins(['./misbehaving.mjs'], {
      cwd: fixtures,
      workers: 1,
      prepareTimeoutMs: 3000,
    });
    loaded.push(plugins);
    const error = (() => {
      try {
        engineFor(policyUsing(['{ rule: bad/prepare-spins, with: { spin: true } }']), { plugins });
      } catch (e) {
        return e as PullguardAggregateError;
      }
    })();
    expect(error).toBeInstanceOf(PullguardAggregateError);
    expect(error?.diagnostics.map((d) => [d.code, d.message, d.location?.line])).toEqual([
      [
        'PLUGIN_INVALID',
        'plugin "bad": rule bad/prepare-spins: prepare did not return within 3000 ms',
        expect.any(Number),
      ],
    ]);
    // The control worker was replaced: the next load reports problems as prepare reports them.
    const reported = (() => {
      try {
        engineFor(policyUsing(['{ rule: bad/prepare-spins, with: { spin: false } }']), { plugins });
      } catch (e) {
        return (e as PullguardAggregateError).diagnostics.map((d) => [d.code, d.message, d.field]);
      }
    })();
    expect(reported).toEqual([['POLICY_BAD_OPTIONS', 'spin must not be false', 'spec.rules[0].with.spin']]);
  });

  it('serves a cache hit without touching a worker', async () => {
    const plugins = await load('./spinning.mjs');
    const engine = engineFor(policyUsing(['spin/image']), { plugins });
    const cold = await engine.evaluateText(web);
    await closePlugins(plugins);
    const warm = await engine.evaluateText(web);
    expect(rows(warm)).toEqual(rows(cold));
    expect(rows(warm)).toEqual([['spin/image', 'violation', 'seen nginx:1.25']]);
    expect(warm.summary.cache).toEqual({ hits: 1, misses: 0 });
  });
});

describe('loading a plugin is time-boxed and names the plugin', () => {
  it('reports a module whose top-level await never settles', async () => {
    const error = await loadPlugins(['./never-loads.mjs'], { cwd: fixtures, workers: 1 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PullguardError);
    expect((error as PullguardError).code).toBe('PLUGIN_LOAD_FAILED');
    expect((error as PullguardError).message).toBe(
      'plugin "./never-loads.mjs" could not be loaded: it never finished loading: a top-level await in its module never settled',
    );
  });

  it('reports a module that is still loading when the load timeout expires', async () => {
    const error = await loadPlugins(['./team.mjs', './slow-load.mjs'], {
      cwd: fixtures,
      workers: 1,
      loadTimeoutMs: 500,
    }).catch((e: unknown) => e);
    // (500 ms from when slow-load.mjs starts loading: the worker's own start-up is not counted.)
    expect((error as PullguardError).code).toBe('PLUGIN_LOAD_FAILED');
    expect((error as PullguardError).message).toBe(
      'plugin "./slow-load.mjs" could not be loaded: it did not finish loading within 500 ms (a top-level await that never settles?)',
    );
  });
});
