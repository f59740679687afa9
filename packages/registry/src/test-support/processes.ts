import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A port the kernel just handed out on 127.0.0.1 (closed again for the caller to bind). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** True when the program runs here (the tests that need it skip with a notice otherwise). */
export function hasProgram(program: string, versionArgs: string[] = ['--version']): boolean {
  try {
    execFileSync(program, versionArgs, { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `program` so that it cannot outlive the test: in its own process group (stopping it ends
 * everything it started), killed when this process exits, and — through a shell that holds a pipe
 * from this process on fd 3 — killed as soon as this process dies, even by SIGKILL (a timed-out
 * test worker), because the pipe then reads end-of-file.
 */
export function spawnGroup(program: string, args: string[], onLine: (line: string) => void): ChildProcess {
  const watchdog =
    'exec 3<&0; "$@" <&- & child=$!; (read _ <&3; kill -9 "$child" 2>/dev/null) & wait "$child"';
  const child = spawn('sh', ['-c', watchdog, 'sh', program, ...args], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const kill = () => killGroup(child);
  process.once('exit', kill);
  child.once('exit', () => process.removeListener('exit', kill));
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
  }
  return child;
}

export function killGroup(child: ChildProcess): void {
  // The group, even when the shell itself has exited: the watchdog's reader may still be in it.
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Resolves when `probe` does, polling until `timeoutMs`. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not come up within ${timeoutMs} ms`);
}
