/**
 * The example plugins load by the specifiers users write: a relative path (CLI `--plugin`, config
 * files, the server) and a package name (here the examples package's own export map).
 */
import { fileURLToPath } from 'node:url';
import { loadPlugins } from '@pullguard/sdk';
import { describe, expect, it } from 'vitest';
import { runNode } from '../test-support.js';

const examples = fileURLToPath(new URL('../', import.meta.url));

describe('loading the example plugins', () => {
  it('by relative path, from the directory the path is relative to', async () => {
    const plugins = await loadPlugins(
      ['./plugins/team-registry.js', './plugins/mutable-tag-owner.js', './plugins/allowlist-service.js'],
      { cwd: examples },
    );
    expect(plugins.map((p) => `${p.name} ${p.rules.map((r) => r.id).join(',')}`)).toEqual([
      'team-registry team-registry/own-path',
      'mutable-tag-owner mutable-tag-owner/annotated',
      'allowlist allowlist/approved',
    ]);
  });

  it('by package name, resolved through the package.json exports', async () => {
    const [plugin] = await loadPlugins(['@pullguard/examples/plugins/team-registry'], { cwd: examples });
    expect(plugin?.name).toBe('team-registry');
  });

  it('with the CLI: pullguard check --plugin ./examples/plugins/team-registry.js', async () => {
    const args = [
      'packages/cli/dist/bin.js',
      'check',
      'examples/manifests/bad/team-payments-foreign.yaml',
      '--namespaces-file',
      'examples/manifests/namespaces.yaml',
      '--policy',
      'examples/plugins/policy.yaml',
      '--plugin',
      './examples/plugins/team-registry.js',
      '--plugin',
      './examples/plugins/mutable-tag-owner.js',
      '--format',
      'json',
    ];
    const outcome = await runNode(args);
    expect(outcome.code).toBe(1);
    const findings = (
      JSON.parse(outcome.stdout) as { findings: { rule: string; container: { name: string } }[] }
    ).findings;
    expect(findings.map((f) => `${f.container.name} ${f.rule}`).sort()).toEqual([
      'ledger team-registry/own-path',
      'metrics team-registry/own-path',
    ]);
  });
});
