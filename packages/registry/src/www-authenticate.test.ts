import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from './www-authenticate.js';

describe('parseWwwAuthenticate (RFC 7235 §4.1)', () => {
  it("reads Docker Hub's Bearer challenge", () => {
    expect(
      parseWwwAuthenticate(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/nginx:pull',
        },
      },
    ]);
  });

  it("reads GHCR's challenge, with a comma inside the quoted scope", () => {
    const [challenge] = parseWwwAuthenticate(
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:org/app:pull,push"',
    );
    expect(challenge?.params).toEqual({
      realm: 'https://ghcr.io/token',
      service: 'ghcr.io',
      scope: 'repository:org/app:pull,push',
    });
  });

  it("reads ECR's Basic realm", () => {
    expect(
      parseWwwAuthenticate(
        'Basic realm="https://123456789012.dkr.ecr.us-east-1.amazonaws.com/",service="ecr.amazonaws.com"',
      ),
    ).toEqual([
      {
        scheme: 'basic',
        params: {
          realm: 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com/',
          service: 'ecr.amazonaws.com',
        },
      },
    ]);
  });

  it('splits two challenges in one header (Basic then Bearer, as some registries send)', () => {
    const challenges = parseWwwAuthenticate(
      'Basic realm="Registry Realm", Bearer realm="https://auth.example.com/token",service="registry.example.com",error="invalid_token"',
    );
    expect(challenges.map((challenge) => challenge.scheme)).toEqual(['basic', 'bearer']);
    expect(challenges[1]?.params).toEqual({
      realm: 'https://auth.example.com/token',
      service: 'registry.example.com',
      error: 'invalid_token',
    });
  });

  it('splits challenges whose parameters are unquoted tokens, and keeps a token68', () => {
    expect(
      parseWwwAuthenticate('Newauth realm=apps, type=1, title="Login to \\"apps\\"", Basic realm=simple'),
    ).toEqual([
      { scheme: 'newauth', params: { realm: 'apps', type: '1', title: 'Login to "apps"' } },
      { scheme: 'basic', params: { realm: 'simple' } },
    ]);
    expect(parseWwwAuthenticate('Negotiate YII=, Basic realm="x"')).toEqual([
      { scheme: 'negotiate', params: {}, token68: 'YII=' },
      { scheme: 'basic', params: { realm: 'x' } },
    ]);
  });

  it('lowercases schemes and parameter names, keeps the first of a repeated parameter, allows spaces around =', () => {
    expect(parseWwwAuthenticate('BEARER Realm = "a" , REALM="b"')).toEqual([
      { scheme: 'bearer', params: { realm: 'a' } },
    ]);
  });

  it('never throws on malformed input', () => {
    for (const header of [
      '',
      ',,,',
      'Bearer realm="unterminated',
      '"quoted"',
      'Bearer =x',
      'Basic realm=a,,  ,b=c',
    ]) {
      expect(() => parseWwwAuthenticate(header)).not.toThrow();
    }
    expect(parseWwwAuthenticate('Bearer realm="unterminated')[0]?.params.realm).toBe('unterminated');
    expect(parseWwwAuthenticate(undefined)).toEqual([]);
  });
});
