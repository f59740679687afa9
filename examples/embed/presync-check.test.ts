/**
 * The pre-sync program as Argo CD or Flux would run it: a child process on a directory, judged by
 * its exit code and its summary. It runs the built SDK (dist), like any user program.
 */
import { describe, expect, it } from 'vitest';
import { runNode, EXAMPLE_PLUGIN_FLAGS as withPlugins } from '../test-support.js';

const run = (args: string[]) => runNode(['examples/embed/presync-check.mjs', ...args]);

describe('examples/embed/presync-check.mjs', () => {
  it('blocks the sync of examples/manifests (exit 1), naming each file and finding', async () => {
    const { code, stdout } = await run(['examples/manifests', ...withPlugins]);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^BLOCK examples\/manifests\/bad\/prod-a-latest\.yaml \(2 images, \d+ findings\)$/m,
    );
    expect(stdout).toMatch(/^ok {4}examples\/manifests\/good\/prod-a-web\.yaml \(3 images, 0 findings\)$/m);
    expect(stdout).toContain(
      'examples/manifests/bad/team-payments-foreign.yaml:25:18  deny  team-registry/own-path (platform-plugins)  StatefulSet/ledger ledger: image registry.acme.io/storefront/ledger:5.0.0@sha256:',
    );
    expect(stdout).toMatch(/\n8 files, \d+ findings: 3 file\(s\) block the sync\n$/);
  });

  it('lets the good manifests through (exit 0), with namespace labels read from another file', async () => {
    const { code, stdout } = await run([
      'examples/manifests/good',
      'examples/manifests/namespaces.yaml',
      ...withPlugins,
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/5 files, 0 findings: sync may proceed\n$/);
  });

  it('exits 2 with the problem and its place when a plugin does not load', async () => {
    const { code, stderr } = await run([
      'examples/manifests',
      '--policy',
      'examples/policies',
      '--plugin',
      './nope.js',
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/PLUGIN_LOAD_FAILED plugin "\.\/nope\.js" could not be loaded/);
  });

  it('exits 2 with usage when no policy is given', async () => {
    const { code, stderr } = await run(['examples/manifests']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^usage: presync-check\.mjs/);
  });
});
