/**
 * Starts the built pullguard server (packages/server/dist/main.js) as a child process on a free
 * port, the way it runs in production, and stops it. By path, not by package: the examples do not
 * depend on @pullguard/server (the CLI does, so turbo builds it before the examples' tests).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { repo } from '../test-support.js';

export interface ServerProcess {
  url: string;
  stop(): Promise<void>;
}

const main = fileURLToPath(new URL('../../packages/server/dist/main.js', import.meta.url));

export async function startServerProcess(
  args: string[],
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [main, '--host', '127.0.0.1', '--port', '0', '--no-watch', '--log-level', 'silent', ...args],
    { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      const match = stderr.match(/listening on (\S+)/);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) =>
      reject(new Error(`the server exited (${code}) before listening:\n${stderr}`)),
    );
    child.once('error', reject);
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** A URL on 127.0.0.1 where nothing listens: a port the system handed out and that was closed again. */
export async function closedPortUrl(): Promise<string> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  await once(probe, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return `http://127.0.0.1:${address.port}`;
}
