import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PullguardAggregateError, PullguardError } from '../errors.js';
import { deployment, engineFor } from '../evaluate/__fixtures__/engine-harness.js';
import type { PluginDefinition, RuleDefinition } from '../rule-contract.js';
import { createRuleCatalog } from './catalog.js';
import { loadPlugins } from './load-plugins.js';

const fixtures = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const web = deployment('web', 'prod', [{ image: 'nginx:1.25' }]);

function policyUsing(rules: string[], action = 'deny'): string {
  return `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: { name: p }
spec:
  namespaces: ["*"]
  action: ${action}
  rules:
${rules.map((r) => `    - rule: ${r}`).join('\n')}
`;
}

const rule = (
  id: string,
  check: RuleDefinition['check'],
  extra: Partial<RuleDefinition> = {},
): RuleDefinition => ({
  id,
  description: `rule ${id}`,
  check,
  ...extra,
});

describe('plugin rules are isolated', () => {
  const misbehaving: PluginDefinition = {
    name: 'bad',
    rules: [
      rule('bad/throws', () => {
        throw new Error('boom');
      }),
      rule('bad/rejects', async () => {
        throw new Error('service said 503');
      }),
      rule(
        'bad/hangs',
        (_facts, ctx) =>
          new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(undefined))),
      ),
      rule('bad/garbage', () => 42 as never),
      rule('bad/async-ok', async (facts, ctx) => ctx.fail(`${facts.image.raw} checked remotely`)),
    ],
  };

  it('turns a throw, a rejection, a hang and a bad return value into error findings and still answers', async () => {
    const engine = engineFor(policyUsing(misbehaving.rules.map((r) => r.id)), {
      plugins: [misbehaving],
      ruleTimeoutMs: 50,
    });
    const report = await engine.evaluateText(web);
    expect(report.findings.map((f) => [f.rule, f.status, f.message])).toEqual([
      ['bad/async-ok', 'violation', 'nginx:1.25 checked remotely'],
      ['bad/garbage', 'error', expect.stringMatching(/^RULE_ERROR: rule bad\/garbage returned a number/)],
      ['bad/hangs', 'error', 'RULE_TIMEOUT: rule bad/hangs did not answer within 50 ms'],
      ['bad/rejects', 'error', 'RULE_ERROR: rule bad/rejects rejected: service said 503'],
      ['bad/throws', 'error', 'RULE_ERROR: rule bad/throws threw: boom'],
    ]);
    expect(report.summary.findings.errors).toBe(4);
    expect(report.verdict).toBe('fail');
  });

  it('lets the action decide whether an error blocks', async () => {
    const engine = engineFor(policyUsing(['bad/throws'], 'warn'), { plugins: [misbehaving] });
    const report = await engine.evaluateText(web);
    expect(report.findings.map((f) => [f.status, f.action])).toEqual([['error', 'warn']]);
    expect(report.verdict).toBe('pass');
  });

  it('aborts the signal of a rule that timed out', async () => {
    let aborted = false;
    const plugin: PluginDefinition = {
      name: 'slow',
      rules: [
        rule('slow/wait', (_facts, ctx) => {
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
          });
          return new Promise(() => {});
        }),
      ],
    };
    const engine = engineFor(policyUsing(['slow/wait']), { plugins: [plugin], ruleTimeoutMs: 10 });
    await engine.evaluateText(web);
    expect(aborted).toBe(true);
  });

  it('gives rules their prepared options, policy, namespace and the injected time', async () => {
    const seen: unknown[] = [];
    const plugin: PluginDefinition = {
      name: 'ctx',
      rules: [
        rule(
          'ctx/echo',
          (_facts, ctx) => {
            seen.push([ctx.options, ctx.policy, ctx.namespace, ctx.now]);
          },
          { prepare: (options: unknown) => ({ prepared: options }) },
        ),
      ],
    };
    const engine = engineFor(policyUsing(['ctx/echo']), { plugins: [plugin], clock: { now: () => 42 } });
    await engine.evaluateText(web);
    expect(seen).toEqual([[{ prepared: {} }, 'p', 'prod', 42]]);
  });
});

describe('plugin registration', () => {
  const problems = (plugins: unknown[]) => {
    try {
      createRuleCatalog(plugins as PluginDefinition[]);
    } catch (error) {
      expect(error).toBeInstanceOf(PullguardAggregateError);
      return (error as PullguardAggregateError).diagnostics.map((d) => [d.code, d.field, d.message]);
    }
    return [];
  };
  const ok = (id = 'acme/x') => rule(id, () => undefined);

  it('accepts well-formed plugins and lists their rules after the built-ins', () => {
    const catalog = createRuleCatalog([{ name: 'acme', version: '1.2.0', rules: [ok()] }]);
    expect(catalog.rules.get('acme/x')).toBeDefined();
    expect(catalog.summaries.at(-1)).toEqual({
      id: 'acme/x',
      description: 'rule acme/x',
      hint: undefined,
      source: 'acme',
      defaultAction: 'deny',
    });
  });

  it.each([
    [[{ name: 'acme', rules: [ok(), ok()] }], 'PLUGIN_DUPLICATE_RULE', /plugin "acme" already defines/],
    [
      [
        { name: 'acme', rules: [ok()] },
        { name: 'acme', rules: [] },
      ],
      'PLUGIN_INVALID',
      /two plugins are named "acme"/,
    ],
    [
      [
        { name: 'require-digest', rules: [] },
        { name: 'x', rules: [ok('require-digest')] },
      ],
      'PLUGIN_INVALID',
      /must be "x\/<name>"/,
    ],
    [
      [{ name: 'acme', rules: [ok('other/x')] }],
      'PLUGIN_INVALID',
      /rule id "other\/x" must be "acme\/<name>"/,
    ],
    [
      [{ name: 'acme', rules: [{ id: 'acme/x', description: 'd' }] }],
      'PLUGIN_INVALID',
      /has no `check` function/,
    ],
    [
      [{ name: 'acme', apiVersion: 2, rules: [] }],
      'PLUGIN_UNSUPPORTED_API',
      /targets plugin API version 2; this engine supports 1/,
    ],
    [
      [{ name: 'acme', rules: [{ ...ok(), options: { type: 'nonsense' } }] }],
      'PLUGIN_INVALID',
      /options schema does not compile/,
    ],
    [
      [{ name: 'acme', rules: [{ ...ok(), reads: ['images'] }] }],
      'PLUGIN_INVALID',
      /unknown fact groups images/,
    ],
    [[{ rules: [] }], 'PLUGIN_INVALID', /non-empty `name`/],
  ])('rejects %j with %s', (plugins, code, message) => {
    expect(problems(plugins)).toEqual([[code, expect.any(String), expect.stringMatching(message)]]);
  });

  it('reports the second definition of an id as a duplicate, and accepts distinct ids', () => {
    expect(
      problems([
        { name: 'acme', rules: [ok('acme/x')] },
        { name: 'acme2', rules: [ok('acme2/y')] },
      ]),
    ).toEqual([]);
    const clash = { name: 'acme', rules: [ok('acme/x'), { ...ok('acme/x'), description: 'again' }] };
    expect(problems([clash])[0]?.[0]).toBe('PLUGIN_DUPLICATE_RULE');
  });

  it('makes createEngine throw before any policy is compiled', () => {
    expect(() =>
      engineFor(policyUsing(['require-digest']), { plugins: [{ name: 'acme', apiVersion: 9, rules: [] }] }),
    ).toThrow(PullguardAggregateError);
  });
});

describe('loadPlugins', () => {
  const packageDir = mkdtempSync(join(tmpdir(), 'pullguard-plugins-'));
  const pkg = join(packageDir, 'node_modules', '@acme', 'pullguard-rules');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({
      name: '@acme/pullguard-rules',
      type: 'module',
      exports: { '.': { import: './index.js' } },
    }),
  );
  writeFileSync(join(pkg, 'index.js'), "export default { name: '@acme/pullguard-rules', rules: [] };\n");
  afterAll(() => rmSync(packageDir, { recursive: true, force: true }));

  it('imports ESM files by relative or absolute path: default export, else `plugin`', async () => {
    const plugins = await loadPlugins(['./team.mjs', join(fixtures, 'named.mjs')], { cwd: fixtures });
    expect(plugins.map((p) => p.name)).toEqual(['team', 'named']);
    const report = await engineFor(policyUsing(['team/no-busybox']), { plugins }).evaluateText(
      deployment('dbg', 'prod', [{ image: 'busybox:1.36' }]),
    );
    expect(report.findings.map((f) => f.message)).toEqual(['busybox:1.36 is a debugging image']);
  });

  it('resolves package names from cwd with ESM conditions', async () => {
    expect((await loadPlugins(['@acme/pullguard-rules'], { cwd: packageDir })).map((p) => p.name)).toEqual([
      '@acme/pullguard-rules',
    ]);
  });

  it.each([
    ['./missing.mjs', /plugin "\.\/missing\.mjs" could not be loaded: .*(Cannot find|ERR_MODULE_NOT_FOUND)/],
    ['@acme/not-installed', /plugin "@acme\/not-installed" could not be loaded: .*not-installed/],
    ['./broken.mjs', /could not be loaded: cannot start: ALLOWLIST_URL is not set/],
    ['./nothing.mjs', /no default export and no export named `plugin`/],
  ])('fails on %s with PLUGIN_LOAD_FAILED naming it and the cause', async (specifier, message) => {
    const error = await loadPlugins([specifier], { cwd: fixtures }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PullguardError);
    expect((error as PullguardError).code).toBe('PLUGIN_LOAD_FAILED');
    expect((error as PullguardError).message).toMatch(message);
  });
});
