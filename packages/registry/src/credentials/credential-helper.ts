import { spawn } from 'node:child_process';
import type { Credential } from './credential.js';

/**
 * docker-credential-helpers' protocol (client/client.go `Get`): run `docker-credential-NAME get`,
 * write the server URL on stdin, read `{"ServerURL","Username","Secret"}` from stdout. A Username of
 * `<token>` marks the Secret as an identity token. "credentials not found" on stdout with a non-zero
 * exit means there is none (anonymous), not an error.
 */
export type CredentialHelperRunner = (
  helper: string,
  serverUrl: string,
  options: { timeoutMs: number; signal?: AbortSignal | undefined },
) => Promise<Credential | undefined>;

/** Why a helper gave no answer. The message never holds the helper's output (it may hold a secret). */
export class CredentialHelperError extends Error {
  override readonly name = 'CredentialHelperError';
}

const NOT_FOUND = /credentials not found/i;
const MAX_OUTPUT = 64 * 1024;

export const runCredentialHelper: CredentialHelperRunner = (helper, serverUrl, options) =>
  new Promise((resolve, reject) => {
    const program = `docker-credential-${helper}`;
    // Its own process group: at the timeout the helper and anything it started are killed, and
    // the answer does not wait for a grandchild that still holds stdout open.
    const child = spawn(program, ['get'], { stdio: ['pipe', 'pipe', 'ignore'], detached: true });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      killGroup();
      settle(() =>
        reject(new CredentialHelperError(`${program} did not answer within ${options.timeoutMs} ms`)),
      );
    }, options.timeoutMs);
    const onAbort = () => {
      killGroup();
      settle(() => reject(new CredentialHelperError(`${program} was cancelled`)));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.length > MAX_OUTPUT) killGroup();
    });
    child.stdin.on('error', () => {}); // a helper that exits without reading stdin: its exit code says why
    child.on('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'ENOENT'
          ? 'is not on PATH (named by the Docker config)'
          : `could not run (${error.code ?? error.name})`;
      settle(() => reject(new CredentialHelperError(`${program} ${why}`)));
    });
    child.on('close', (code, signal) => {
      settle(() => {
        if (code === 0) {
          try {
            resolve(parseHelperOutput(stdout));
          } catch {
            reject(new CredentialHelperError(`${program} printed something that is not its JSON answer`));
          }
        } else if (NOT_FOUND.test(stdout)) {
          resolve(undefined);
        } else {
          reject(new CredentialHelperError(`${program} get failed (${signal ?? `exit ${code}`})`));
        }
      });
    });
    child.stdin.end(serverUrl);
  });

function parseHelperOutput(stdout: string): Credential | undefined {
  const { Username, Secret } = JSON.parse(stdout) as { Username?: unknown; Secret?: unknown };
  if (typeof Secret !== 'string' || Secret === '') return undefined;
  if (Username === '<token>') return { kind: 'identity-token', token: Secret };
  if (typeof Username !== 'string') throw new Error('no Username');
  return { kind: 'basic', username: Username, password: Secret };
}
