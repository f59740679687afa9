/**
 * The SDK's three entry points and what each may load: the index is the engine's API plus the
 * plugin helpers; the test harness loads no test framework; the client does not load the engine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as sdk from '@pullguard/sdk';
import * as client from '@pullguard/sdk/client';
import * as testing from '@pullguard/sdk/testing';
import { describe, expect, it } from 'vitest';
import { readApi } from '../../../scripts/api-report.mjs';

/** Runtime imports (not `import type`) of the non-test modules of one source directory. */
function runtimeImports(dir: string): string[] {
  const base = new URL(`../src/${dir}/`, import.meta.url);
  return readdirSync(base)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .flatMap((f) =>
      [
        ...readFileSync(new URL(f, base), 'utf8').matchAll(
          /^(?:import|export) (?!type )[^;]*? from '([^']+)'/gms,
        ),
      ].map((m) => m[1] ?? ''),
    );
}

describe('@pullguard/sdk', () => {
  it("re-exports the engine's public API next to the plugin helpers", () => {
    for (const name of [
      'createEngine',
      'loadPolicies',
      'parsePolicies',
      'loadPlugins',
      'loadManifests',
      'loadManifestObjects',
      'loadManifestFiles',
      'parseImageReference',
      'effectivePullPolicy',
      'formatDiagnostic',
      'PullguardError',
      'PullguardAggregateError',
      'PLUGIN_API_VERSION',
      'definePlugin',
      'defineRule',
      // registry access for embedders: the fixture resolver (the RegistryResolver contract is a type)
      'createFixtureResolver',
      // linear-time (RE2) patterns for plugin options
      'compileFullMatch',
    ]) {
      expect(sdk, name).toHaveProperty(name);
    }
  });

  it('offers plugins the RE2 matcher allowed-tags uses: whole-text, linear-time, never throwing', () => {
    const compiled = sdk.compileFullMatch('[a-z-]+(@acme\\.io)?');
    expect(compiled.ok && compiled.pattern.matches('web-team@acme.io')).toBe(true);
    expect(compiled.ok && compiled.pattern.matches('web-team@acme.io.evil')).toBe(false);
    expect(sdk.compileFullMatch('(a)\\1')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/backreference/),
    });
  });

  it('parses and explains images as the engine does', () => {
    expect(sdk.parseImageReference('nginx').name).toBe('docker.io/library/nginx');
    expect(sdk.effectivePullPolicy({ image: 'nginx:1.27', imagePullPolicy: undefined }).policy).toBe(
      'IfNotPresent',
    );
  });
});

describe('@pullguard/sdk/testing', () => {
  it('exports the harness', () => {
    expect(Object.keys(testing).sort()).toEqual(['TEST_POLICY_NAME', 'createRuleTester', 'expectFindings']);
  });

  it('loads no test framework, so that any runner can use it', () => {
    expect(runtimeImports('testing').filter((s) => !s.startsWith('./'))).toEqual([
      'node:assert',
      '@pullguard/engine',
      '@pullguard/engine/internals',
    ]);
  });
});

describe('@pullguard/sdk/client', () => {
  it('exports the client and its errors', () => {
    expect(Object.keys(client).sort()).toEqual([
      'PullguardApiError',
      'PullguardNetworkError',
      'createClient',
    ]);
  });

  it('does not load the engine: an app that only calls a server stays small', () => {
    expect(runtimeImports('client').filter((s) => !s.startsWith('./'))).toEqual(['openapi-fetch']);
  });

  it('names none of its types like a different type of @pullguard/sdk (the API report, from the build)', () => {
    const entries = readApi(new URL('..', import.meta.url)).entries;
    const names = (entry: string) =>
      new Set(entries.find((e) => e.name === entry)?.exported.map((e) => e.name));
    const root = names('@pullguard/sdk');
    const clientNames = [...names('@pullguard/sdk/client')];
    expect(clientNames).toContain('ApiReport');
    expect(clientNames.filter((name) => root.has(name))).toEqual([]);
  });
});
