/**
 * Registry access as embedders and plugin authors meet it through the SDK: an engine given a
 * RegistryResolver (here the fixture resolver), and a plugin rule that reads the `registry` facts,
 * tested with the harness; and the OCI client (`@pullguard/sdk/registry`) asking a real registry
 * (Debian's docker-registry, started on 127.0.0.1 by the registry package's harness).
 */

import { type LocalRegistry, realRegistrySkip, startLocalRegistry } from '@pullguard/registry/test-support';
import {
  createEngine,
  createFixtureResolver,
  definePlugin,
  defineRule,
  parsePolicies,
  type RegistryResolver,
} from '@pullguard/sdk';
import { createResolverFromSettings } from '@pullguard/sdk/registry';
import { createRuleTester } from '@pullguard/sdk/testing';
import { afterAll, describe, expect, it } from 'vitest';

const D = `sha256:${'4'.repeat(64)}`;
const pod = (image: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'app' },
  spec: { containers: [{ name: 'app', image }] },
});

describe('registry access through the SDK', () => {
  it('lets an embedder give the engine a resolver', async () => {
    const resolver: RegistryResolver = createFixtureResolver({ 'nginx:1.25': D });
    const { documents } = parsePolicies([
      {
        text: 'apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata: { name: p }\nspec:\n  namespaces: ["*"]\n  rules:\n    - rule: image-exists\n',
      },
    ]);
    const engine = createEngine({ policies: documents, resolver });
    const report = await engine.evaluateObjects([pod('nginx:1.25'), pod('nginx:1.26')]);
    expect(report.findings.map((f) => [f.image.raw, f.rule])).toEqual([['nginx:1.26', 'image-exists']]);
  });

  it('tests a plugin rule that reads the registry facts, with fixtures', async () => {
    const plugin = definePlugin({
      name: 'acme',
      rules: [
        defineRule({
          id: 'acme/multi-arch',
          description: 'Images are multi-platform.',
          reads: ['image', 'registry'],
          check(facts, ctx) {
            if (facts.registry.status === 'resolved' && facts.registry.index === false) {
              return ctx.fail(`${facts.image.raw} is single-platform (${facts.registry.digest})`);
            }
          },
        }),
      ],
    });
    const tester = createRuleTester(plugin, {
      resolver: createFixtureResolver({ 'nginx:1.25': D, 'redis:7': { digest: D, index: true } }),
    });
    const findings = await tester.run('acme/multi-arch', { manifests: [pod('nginx:1.25'), pod('redis:7')] });
    expect(findings.map((f) => f.message)).toEqual([`nginx:1.25 is single-platform (${D})`]);
  });
});

describe.skipIf(realRegistrySkip('pullguard/sdk'))('@pullguard/sdk/registry against a real registry', () => {
  let registry: LocalRegistry;
  afterAll(async () => registry?.stop());

  it('gives an embedded engine the resolver the CLI and server use: a moved tag, a missing tag, a multi-platform index', async () => {
    registry = await startLocalRegistry();
    const web = await registry.push.pushImage('shop/web', '1.0');
    const next = await registry.push.pushImage('shop/web', '2.0');
    const { index } = await registry.push.pushMultiPlatform('shop/api', '2.3');
    const resolver = createResolverFromSettings({ plainHttp: [registry.host], dockerConfig: false });
    const { documents } = parsePolicies([
      {
        text: 'apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata: { name: p }\nspec:\n  namespaces: ["*"]\n  rules:\n    - rule: image-exists\n    - rule: digest-matches-tag\n',
      },
    ]);
    const engine = createEngine({ policies: documents, resolver });
    const image = (path: string) => `${registry.host}/${path}`;
    const report = await engine.evaluateObjects([
      pod(image('shop/web:1.0')),
      pod(image(`shop/api:2.3@${index.digest}`)),
      pod(image(`shop/web:1.0@${next.digest}`)),
      pod(image('shop/web:typo')),
    ]);
    expect(report.findings.map((f) => [f.image.raw.slice(registry.host.length + 1), f.rule])).toEqual([
      [`shop/web:1.0@${next.digest}`, 'digest-matches-tag'],
      ['shop/web:typo', 'image-exists'],
    ]);
    expect(report.findings[0]?.message).toContain(web.digest);
  });
});
