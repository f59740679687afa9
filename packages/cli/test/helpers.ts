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

/** `pullguard serve <args> --port 0`, resolved once it prints its URL. */
export async function startServe(args: readonly string[]) {
  const child = spawn(process.execPath, [BIN, 'serve', ...args, '--port', '0', '--log-level', 'silent'], {
    cwd: CLI_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      const match = /serving on (http\S+)/.exec(stderr);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = async () => {
    child.kill('SIGTERM');
    return exit;
  };
  return { url, stop };
}
