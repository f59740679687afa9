import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/processes.js';
import { runCredentialHelper } from './credential-helper.js';

/** The real protocol: a program on PATH, the server URL on stdin, JSON on stdout. */
describe('runCredentialHelper', () => {
  const dir = tempDir('pullguard-helpers-');
  const path = process.env.PATH;
  const helper = (name: string, script: string) => {
    const file = join(dir.path, `docker-credential-${name}`);
    writeFileSync(file, `#!/bin/sh\n${script}\n`);
    chmodSync(file, 0o755);
  };
  beforeAll(() => {
    process.env.PATH = `${dir.path}:${path}`;
    helper('echo', `read url; printf '{"ServerURL":"%s","Username":"me","Secret":"s3cret-helper"}' "$url"`);
    helper('token', `printf '{"ServerURL":"x","Username":"<token>","Secret":"refresh-s3cret"}'`);
    helper('none', `echo "credentials not found in native keychain"; exit 1`);
    helper('crash', `echo "s3cret-in-output"; exit 3`);
    helper('slow', 'sleep 5');
  });
  afterAll(() => {
    process.env.PATH = path;
    dir.remove();
  });

  it('reads Username/Secret, and <token> as an identity token', async () => {
    expect(await runCredentialHelper('echo', 'ghcr.io', { timeoutMs: 5000 })).toEqual({
      kind: 'basic',
      username: 'me',
      password: 's3cret-helper',
    });
    expect(await runCredentialHelper('token', 'ghcr.io', { timeoutMs: 5000 })).toEqual({
      kind: 'identity-token',
      token: 'refresh-s3cret',
    });
  });

  it('treats "credentials not found" as anonymous', async () => {
    expect(await runCredentialHelper('none', 'ghcr.io', { timeoutMs: 5000 })).toBeUndefined();
  });

  it('fails with a message that holds no output, on a crash, a missing helper and a timeout', async () => {
    await expect(runCredentialHelper('crash', 'ghcr.io', { timeoutMs: 5000 })).rejects.toThrow(
      'docker-credential-crash get failed (exit 3)',
    );
    await expect(runCredentialHelper('absent', 'ghcr.io', { timeoutMs: 5000 })).rejects.toThrow(
      'is not on PATH',
    );
    await expect(runCredentialHelper('slow', 'ghcr.io', { timeoutMs: 200 })).rejects.toThrow(
      'did not answer within 200 ms',
    );
  });
});
