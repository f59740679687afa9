import { describe, expect, it } from 'vitest';
import { manualClock } from '../../test/helpers.js';
import { LookupFailure } from '../failure.js';
import { CredentialHelperError, type CredentialHelperRunner } from './credential-helper.js';
import { createCredentialSource } from './credential-source.js';
import { parseDockerConfig } from './docker-config.js';

function source(configs: unknown[], runHelper: CredentialHelperRunner, clock = manualClock()) {
  return createCredentialSource({
    configs: configs.map((config, index) => parseDockerConfig(config, `config-${index}`)),
    runHelper,
    helperTimeoutMs: 1000,
    helperCacheMs: 60_000,
    now: clock.now,
  });
}

describe('createCredentialSource', () => {
  it('asks a helper for Docker Hub under the index URL and other registries by host, and caches the answer', async () => {
    const asked: string[] = [];
    const runHelper: CredentialHelperRunner = async (helper, serverUrl) => {
      asked.push(`${helper} ${serverUrl}`);
      return { kind: 'basic', username: 'u', password: 'p' };
    };
    const clock = manualClock();
    const credentials = source(
      [{ credsStore: 'desktop', credHelpers: { 'ghcr.io': 'gh' } }],
      runHelper,
      clock,
    );
    await credentials.lookup('docker.io');
    await credentials.lookup('ghcr.io');
    await credentials.lookup('ghcr.io');
    expect(asked).toEqual(['desktop https://index.docker.io/v1/', 'gh ghcr.io']);
    clock.advance(60_001);
    await credentials.lookup('ghcr.io');
    expect(asked).toHaveLength(3);
  });

  it('prefers --registry-auth over Docker config, and a helper over an auths entry', async () => {
    const runHelper: CredentialHelperRunner = async () => ({
      kind: 'basic',
      username: 'from-helper',
      password: 'p',
    });
    const credentials = source(
      [
        { auths: { 'a.io': { username: 'from-file', password: 'p' } } },
        {
          auths: { 'a.io': { username: 'docker', password: 'p' }, 'b.io': { username: 'b', password: 'p' } },
          credHelpers: { 'b.io': 'x' },
        },
      ],
      runHelper,
    );
    expect(await credentials.lookup('a.io')).toMatchObject({ username: 'from-file' });
    expect(await credentials.lookup('b.io')).toMatchObject({ username: 'from-helper' });
    expect(await credentials.lookup('c.io')).toBeUndefined();
  });

  it('falls back to the auths entry when the store has nothing, and is anonymous without either', async () => {
    const credentials = source(
      [{ credsStore: 'pass', auths: { 'a.io': { username: 'u', password: 'p' } } }],
      async () => undefined,
    );
    expect(await credentials.lookup('a.io')).toMatchObject({ username: 'u' });
    expect(await credentials.lookup('z.io')).toBeUndefined();
  });

  it('turns a failing helper into an unauthorized failure naming the registry, and does not remember it', async () => {
    let calls = 0;
    const credentials = source([{ credsStore: 'broken' }], async () => {
      calls++;
      throw new CredentialHelperError('docker-credential-broken get failed (exit 1)');
    });
    const error = await credentials.lookup('ghcr.io').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LookupFailure);
    expect((error as LookupFailure).failure).toMatchObject({ kind: 'unauthorized', host: 'ghcr.io' });
    await credentials.lookup('ghcr.io').catch(() => undefined);
    expect(calls).toBe(2);
  });
});
