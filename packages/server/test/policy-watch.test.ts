import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadServerConfig } from '../src/config.js';
import { createLogger, silentLogger } from '../src/logger.js';
import { type RunningServer, startServer } from '../src/server.js';
import { eventually } from './support/eventually.js';

// Real servers and processes on a shared machine: a generous bound (no test waits for it).
vi.setConfig({ testTimeout: 60_000 });

// The server's policy watcher against each way editors, tools and Kubernetes replace files. The
// periodic content check is off here (watchIntervalMs 0): file events alone must do it. Each test
// also makes a *later* change after the replacement — what a watch on the replaced inode misses.

let dir: string;
let server: RunningServer | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pg-watch-'));
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function policy(name: string, rules = ['require-digest']): string {
  const list = rules.map((r) => `    - rule: ${r}\n`).join('');
  return `apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata:\n  name: ${name}\nspec:\n  namespaces: ["*"]\n  rules:\n${list}`;
}

async function serve(paths: string[], extra: string[] = []): Promise<RunningServer> {
  const config = loadServerConfig(
    [...paths.flatMap((p) => ['--policy', p]), '--port', '0', ...extra],
    {},
    dir,
  );
  server = await startServer(
    { ...config, watchDebounceMs: 20, watchIntervalMs: 0 },
    { logger: process.env.DBG ? createLogger({ level: 'debug' }) : silentLogger() },
  );
  return server;
}

/** The rules the policy named `name` has, as the serving engine sees it. */
function rulesOf(s: RunningServer, name: string): number | undefined {
  return s.policies.engine?.policies().find((p) => p.name === name)?.rules;
}

/** A reload happened after this call (a touch reloads the same content). */
function reloadCounter(s: RunningServer): () => void {
  const before = s.policies.status().reloads.ok;
  return () => expect(s.policies.status().reloads.ok).toBeGreaterThan(before);
}

async function expectRules(s: RunningServer, name: string, rules: number): Promise<void> {
  await eventually(() => expect(rulesOf(s, name)).toBe(rules));
}

/** Later changes to `file` after a replacement: an in-place copy, an in-place write, a touch. */
async function laterChangesAreSeen(s: RunningServer, file: string, name: string): Promise<void> {
  const other = join(dir, 'other.tmp');
  writeFileSync(other, policy(name, ['require-digest', 'disallow-latest', 'restrict-never']));
  copyFileSync(other, file); // cp over it: in place, same inode
  unlinkSync(other);
  await expectRules(s, name, 3);
  writeFileSync(file, policy(name, ['require-digest', 'disallow-latest'])); // an editor that writes in place
  await expectRules(s, name, 2);
  const reloaded = reloadCounter(s);
  const later = new Date(Date.now() + 5000);
  utimesSync(file, later, later); // touch
  await eventually(reloaded);
}

describe.each([
  ['the policy directory', (sub: string) => sub],
  ['the policy file itself', (sub: string) => join(sub, 'a.yaml')],
])('watching %s', (_what, policyPath) => {
  it('sees a `sed -i` save (a new file renamed over the old one), and every change after it', async () => {
    mkdirSync(join(dir, 'policies'));
    const file = join(dir, 'policies', 'a.yaml');
    writeFileSync(file, policy('a'));
    const s = await serve([policyPath('policies')]);
    expect(rulesOf(s, 'a')).toBe(1);
    execFileSync('sed', [
      '-i',
      's/    - rule: require-digest/    - rule: require-digest\\n    - rule: disallow-latest/',
      file,
    ]);
    await expectRules(s, 'a', 2);
    await laterChangesAreSeen(s, file, 'a');
  });

  it("sees vim's backup-and-rename save (old file renamed away, new one written, backup removed)", async () => {
    mkdirSync(join(dir, 'policies'));
    const file = join(dir, 'policies', 'a.yaml');
    writeFileSync(file, policy('a'));
    const s = await serve([policyPath('policies')]);
    renameSync(file, `${file}~`);
    writeFileSync(file, policy('a', ['require-digest', 'disallow-latest']));
    unlinkSync(`${file}~`);
    await expectRules(s, 'a', 2);
    await laterChangesAreSeen(s, file, 'a');
  });

  it('sees `mv tmp file` (an atomic replace), and every change after it', async () => {
    mkdirSync(join(dir, 'policies'));
    const file = join(dir, 'policies', 'a.yaml');
    writeFileSync(file, policy('a'));
    const s = await serve([policyPath('policies')]);
    const tmp = join(dir, 'policies', '.a.yaml.tmp');
    writeFileSync(tmp, policy('a', ['require-digest', 'disallow-latest']));
    renameSync(tmp, file);
    await expectRules(s, 'a', 2);
    await laterChangesAreSeen(s, file, 'a');
  });
});

describe('watching a policy directory', () => {
  it('survives the directory being moved away and back, and sees changes inside it afterwards', async () => {
    const policies = join(dir, 'policies');
    mkdirSync(policies);
    writeFileSync(join(policies, 'a.yaml'), policy('a'));
    const s = await serve(['policies']);
    renameSync(policies, join(dir, 'policies.away'));
    // While it is away the reload fails (and says so); the last good set keeps serving.
    await eventually(() => expect(s.policies.status().lastReload).toMatchObject({ ok: false }));
    expect(rulesOf(s, 'a')).toBe(1);
    renameSync(join(dir, 'policies.away'), policies);
    await eventually(() => expect(s.policies.status().lastReload).toMatchObject({ ok: true }));
    writeFileSync(join(policies, 'a.yaml'), policy('a', ['require-digest', 'disallow-latest']));
    await expectRules(s, 'a', 2);
    writeFileSync(join(policies, 'b.yaml'), policy('b'));
    await eventually(() => expect(s.policies.status().policies).toBe(2));
  });

  it('follows a directory replaced by another one (deleted and created again)', async () => {
    const policies = join(dir, 'policies');
    mkdirSync(policies);
    writeFileSync(join(policies, 'a.yaml'), policy('a'));
    const s = await serve(['policies']);
    const next = join(dir, 'policies.next');
    mkdirSync(next);
    writeFileSync(join(next, 'a.yaml'), policy('a', ['require-digest', 'disallow-latest']));
    rmSync(policies, { recursive: true });
    renameSync(next, policies);
    await expectRules(s, 'a', 2);
    await laterChangesAreSeen(s, join(policies, 'a.yaml'), 'a');
  });

  it('sees files in subdirectories created after it started', async () => {
    mkdirSync(join(dir, 'policies'));
    writeFileSync(join(dir, 'policies', 'a.yaml'), policy('a'));
    const s = await serve(['policies']);
    mkdirSync(join(dir, 'policies', 'team'));
    writeFileSync(join(dir, 'policies', 'team', 'b.yaml'), policy('b'));
    await eventually(() => expect(s.policies.status().policies).toBe(2));
    writeFileSync(
      join(dir, 'policies', 'team', 'b.yaml'),
      policy('b', ['require-digest', 'disallow-latest']),
    );
    await expectRules(s, 'b', 2);
  });

  it('logs and counts the policies a reload removes (a deleted policy file is not a silent "ok")', async () => {
    mkdirSync(join(dir, 'policies'));
    writeFileSync(join(dir, 'policies', 'a.yaml'), policy('a'));
    writeFileSync(join(dir, 'policies', 'b.yaml'), policy('b'));
    const lines: string[] = [];
    const config = loadServerConfig(['--policy', 'policies', '--port', '0'], {}, dir);
    const logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => void lines.push(line) },
    });
    const registry = new Registry();
    server = await startServer({ ...config, watchDebounceMs: 20, watchIntervalMs: 0 }, { logger, registry });
    unlinkSync(join(dir, 'policies', 'b.yaml'));
    await eventually(() => expect(server!.policies.status().policies).toBe(1));
    const warning = lines.map((l) => JSON.parse(l)).find((l) => l.removed);
    expect(warning).toMatchObject({ level: 'warn', trigger: 'watch', removed: ['b'] });
    expect(warning.msg).toMatch(/^the reload removed 1 policy: b \(.*b\.yaml\); they no longer apply$/);
    expect(await registry.metrics()).toContain('pullguard_policies_removed_total 1');
  });
});

/**
 * A mounted ConfigMap, as the kubelet lays it out (k8s.io/kubernetes pkg/volume/util/
 * atomic_writer.go): the data in a timestamped directory, `..data` a symlink to it, and each key a
 * symlink `key -> ..data/key`. An update writes a new timestamped directory, points `..data_tmp`
 * at it and renames `..data_tmp` over `..data` (one atomic swap), then removes the old directory.
 */
function configMap(mount: string, files: Record<string, string>, generation: number): void {
  const data = `..2024_01_0${generation}`;
  mkdirSync(join(mount, data), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(mount, data, name), text);
  symlinkSync(data, join(mount, '..data_tmp'));
  renameSync(join(mount, '..data_tmp'), join(mount, '..data'));
  for (const name of Object.keys(files)) {
    try {
      symlinkSync(join('..data', name), join(mount, name));
    } catch {
      // the key's link exists from the first generation
    }
  }
  if (generation > 1) rmSync(join(mount, `..2024_01_0${generation - 1}`), { recursive: true });
}

describe('watching a mounted ConfigMap', () => {
  it('reloads the policies on every `..data` swap', async () => {
    const mount = join(dir, 'config');
    mkdirSync(mount);
    configMap(mount, { 'policy.yaml': policy('cm') }, 1);
    const s = await serve(['config/policy.yaml']);
    expect(rulesOf(s, 'cm')).toBe(1);
    configMap(mount, { 'policy.yaml': policy('cm', ['require-digest', 'disallow-latest']) }, 2);
    await expectRules(s, 'cm', 2);
    configMap(
      mount,
      { 'policy.yaml': policy('cm', ['require-digest', 'disallow-latest', 'restrict-never']) },
      3,
    );
    await expectRules(s, 'cm', 3);
  });

  it('re-reads namespace labels when the namespaces file is swapped', async () => {
    writeFileSync(join(dir, 'policy.yaml'), policy('p'));
    const mount = join(dir, 'ns');
    mkdirSync(mount);
    const namespaces = (team: string) =>
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: { team: ${team} }\n`;
    configMap(mount, { 'namespaces.yaml': namespaces('a') }, 1);
    const s = await serve(['policy.yaml'], ['--namespaces-file', 'ns/namespaces.yaml']);
    const labels = () => s.policies.engine?.explain('shop').labels;
    expect(labels()).toMatchObject({ team: 'a' });
    configMap(mount, { 'namespaces.yaml': namespaces('b') }, 2);
    await eventually(() => expect(labels()).toMatchObject({ team: 'b' }));
  });
});
