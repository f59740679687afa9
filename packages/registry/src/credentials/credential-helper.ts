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
    const child = spawn(program, ['get'], {
      stdio: ['pipe', 'pipe', 'ignore'],
      timeout: options.timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.length > MAX_OUTPUT) child.kill('SIGKILL');
    });
    child.stdin.on('error', () => {}); // a helper that exits without reading stdin: its exit code says why
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new CredentialHelperError(
          error.code === 'ENOENT'
            ? `${program} is not on PATH (named by the Docker config)`
            : error.name === 'AbortError'
              ? `${program} was cancelled`
              : `${program} could not run (${error.code ?? error.name})`,
        ),
      );
    });
    child.on('close', (code, signal) => {
      if (code === 0) {
        try {
          resolve(parseHelperOutput(stdout));
        } catch {
          reject(new CredentialHelperError(`${program} printed something that is not its JSON answer`));
        }
      } else if (NOT_FOUND.test(stdout)) {
        resolve(undefined);
      } else if (signal !== null) {
        reject(
          new CredentialHelperError(`${program} did not answer within ${options.timeoutMs} ms (${signal})`),
        );
      } else {
        reject(new CredentialHelperError(`${program} get failed (exit ${code})`));
      }
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
