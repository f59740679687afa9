import { describe, expect, it } from 'vitest';
import { parseDuration } from '../config/duration.js';
import { hostPortProblem, registrySettings } from './flags.js';

describe('registry flags', () => {
  it('default to 5 s requests, a 5 min digest TTL, registries asked', () => {
    expect(registrySettings({}, {})).toEqual({
      offline: false,
      fixtures: undefined,
      authFile: undefined,
      caFile: undefined,
      plainHttp: [],
      timeoutMs: 5_000,
      digestTtlMs: 300_000,
    });
  });

  it('take plain-HTTP hosts from the flags, then PULLGUARD_PLAIN_HTTP (comma-separated), once each', () => {
    const settings = registrySettings(
      { plainHttp: ['registry.local:5000'] },
      { PULLGUARD_PLAIN_HTTP: ' 127.0.0.1:5000 , registry.local:5000,,[::1]:5001' },
    );
    expect(settings).toMatchObject({ plainHttp: ['registry.local:5000', '127.0.0.1:5000', '[::1]:5001'] });
  });

  it('say what is wrong with a host in the environment', () => {
    expect(registrySettings({}, { PULLGUARD_PLAIN_HTTP: 'http://registry.local' })).toBe(
      'PULLGUARD_PLAIN_HTTP: "http://registry.local" is not HOST[:PORT] (e.g. registry.local:5000)',
    );
  });

  it.each([
    ['registry.local', undefined],
    ['localhost:5000', undefined],
    ['[::1]:5000', undefined],
    ['registry.local:0', 'port 0 is not between 1 and 65535'],
    ['registry.local:70000', 'port 70000 is not between 1 and 65535'],
    ['registry.local/path', '"registry.local/path" is not HOST[:PORT] (e.g. registry.local:5000)'],
  ])('judge %s as HOST[:PORT]', (value, problem) => {
    expect(hostPortProblem(value)).toBe(problem);
  });

  it.each([
    ['250ms', 250],
    ['5s', 5_000],
    ['1.5s', 1_500],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['750', 750],
    ['0s', undefined],
    ['-1s', undefined],
    ['5 seconds', undefined],
    ['30d', undefined],
    ['999999h', undefined],
  ])('read the duration %s as %s ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});
