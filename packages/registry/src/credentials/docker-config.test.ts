import { describe, expect, it } from 'vitest';
import { parseDockerCfg, parseDockerConfig } from './docker-config.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('parseDockerConfig (docker/cli config.json)', () => {
  it('reads every auth form, keyed as Docker reads the keys', () => {
    const config = parseDockerConfig(
      {
        auths: {
          'https://index.docker.io/v1/': { auth: b64('hubuser:pa:ss') },
          'ghcr.io': { username: 'octo', password: 'ghp_x' },
          'https://registry.example.com/v2/': { identitytoken: 'refresh' },
          'quay.io': { registrytoken: 'bearer' },
          'placeholder.io': {},
        },
        credHelpers: { '123.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login' },
        credsStore: 'desktop',
      },
      'config.json',
    );
    expect(config.auths.get('docker.io')).toEqual({ kind: 'basic', username: 'hubuser', password: 'pa:ss' });
    expect(config.auths.get('ghcr.io')).toEqual({ kind: 'basic', username: 'octo', password: 'ghp_x' });
    expect(config.auths.get('registry.example.com')).toEqual({ kind: 'identity-token', token: 'refresh' });
    expect(config.auths.get('quay.io')).toEqual({ kind: 'registry-token', token: 'bearer' });
    expect(config.auths.get('placeholder.io')).toBeUndefined();
    expect(config.credHelpers.get('123.dkr.ecr.us-east-1.amazonaws.com')).toBe('ecr-login');
    expect(config.credsStore).toBe('desktop');
  });

  it('reads the legacy .dockercfg form (the auths map alone)', () => {
    const config = parseDockerCfg(
      { 'registry.example.com': { auth: b64('u:p'), email: 'x@example.com' } },
      '.dockercfg',
    );
    expect(config.auths.get('registry.example.com')).toEqual({ kind: 'basic', username: 'u', password: 'p' });
  });

  it('names the file and field of a bad entry without quoting a secret', () => {
    expect(() =>
      parseDockerConfig({ auths: { 'r.io': { auth: b64('no-colon-s3cret') } } }, 'c.json'),
    ).toThrow('c.json: auths["r.io"].auth is not base64 of "user:password"');
    try {
      parseDockerConfig({ auths: { 'r.io': { auth: b64('no-colon-s3cret') } } }, 'c.json');
    } catch (error) {
      expect(String(error)).not.toContain('s3cret');
      expect(String(error)).not.toContain(b64('no-colon-s3cret'));
    }
    expect(() => parseDockerConfig({ auths: [] }, 'c.json')).toThrow('c.json: auths must be an object');
    expect(() => parseDockerConfig({ auths: { r: { password: 7 } } }, 'c.json')).toThrow(
      '.password must be a string',
    );
    expect(() => parseDockerConfig({ credsStore: '../../bin/sh' }, 'c.json')).toThrow(
      'credsStore must name a credential helper',
    );
    expect(() => parseDockerConfig('text', 'c.json')).toThrow('(top level) must be an object');
  });
});
