import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_ROOT = join(CLI_DIR, '..', '..');
export const BIN = join(CLI_DIR, 'dist', 'bin.js');
export const FIXTURES = join(CLI_DIR, 'test', '__fixtures__');
/** Real manifests beside the repository (never copied into it); tests that read them use itWithCorpus. */
export { itWithCorpus, SHARED_CORPUS_DIR as CORPUS } from '../../../vitest.corpus.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the BUILT binary in a child process, as a user would. */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; input?: string; env?: Record<string, string>; killAfterMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
    delete env['FORCE_COLOR'];
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? CLI_DIR,
      env,
      stdio: 'pipe',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    // A run that must not hang is killed after killAfterMs: the test then fails on its exit code
    // (null) instead of timing out with the child left running.
    const killer =
      options.killAfterMs === undefined
        ? undefined
        : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

export const fixture = (...parts: string[]) => join(FIXTURES, ...parts);

/**
 * `pullguard serve <args> --port 0 --log-level silent`, resolved once it prints its URL. By default
 * the built binary run from the CLI's folder; `command` runs another (an installed `pullguard`, or
 * `[node, bin]`). In its own process group, so `kill()` ends it even when a test failed half-way.
 */
export async function startServe(
  args: readonly string[],
  options: { command?: readonly string[]; cwd?: string; env?: NodeJS.ProcessEnv } = {},
) {
  const [file, ...prefix] = (options.command ?? [process.execPath, BIN]) as [string, ...string[]];
  const child = spawn(file, [...prefix, 'serve', ...args, '--port', '0', '--log-level', 'silent'], {
    cwd: options.cwd ?? CLI_DIR,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      const match = /serving on (http\S+)/.exec(stderr);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
  });
  const stop = async () => {
    child.kill('SIGTERM');
    return exit;
  };
  const kill = () => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  };
  return { child, url, stop, kill };
}

/** An AdmissionReview of a CREATE as the API server sends it (admission.k8s.io/v1). */
export function admissionReview(
  type: { group: string; version: string; kind: string; resource: string },
  object: Record<string, unknown> & { metadata: { name: string; namespace: string } },
) {
  const { resource, ...kind } = type;
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'c1d2e3f4-0000-4000-8000-000000000001',
      kind,
      resource: { group: type.group, version: type.version, resource },
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      operation: 'CREATE',
      userInfo: { username: 'alice' },
      object,
    },
  };
}

/** A Pod CREATE review, the Pod already defaulted (an explicit imagePullPolicy), for tests that call a webhook. */
export function podReview(namespace: string, image: string) {
  return admissionReview(
    { group: '', version: 'v1', kind: 'Pod', resource: 'pods' },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace },
      spec: { containers: [{ name: 'web', image, imagePullPolicy: 'IfNotPresent' }] },
    },
  );
}
