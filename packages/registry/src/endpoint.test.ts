import { describe, expect, it } from 'vitest';
import { apiHost, credentialHost, PlainHttpHosts } from './endpoint.js';

describe('registry endpoints', () => {
  it('serves docker.io from registry-1.docker.io and every other registry from itself', () => {
    expect(apiHost('docker.io')).toBe('registry-1.docker.io');
    expect(apiHost('ghcr.io')).toBe('ghcr.io');
    expect(apiHost('127.0.0.1:5000')).toBe('127.0.0.1:5000');
  });

  it('reads credential keys as Docker does: scheme and path dropped, Docker Hub spellings folded', () => {
    expect(credentialHost('https://index.docker.io/v1/')).toBe('docker.io');
    expect(credentialHost('index.docker.io')).toBe('docker.io');
    expect(credentialHost('registry-1.docker.io')).toBe('docker.io');
    expect(credentialHost('http://Registry.Example.com:5000/v2/')).toBe('registry.example.com:5000');
    expect(credentialHost('ghcr.io')).toBe('ghcr.io');
  });
});

describe('plain HTTP hosts', () => {
  it('allows a listed HOST on every port and HOST:PORT on that port only', () => {
    const hosts = new PlainHttpHosts(['localhost', 'registry.lan:5000', '[::1]:5001']);
    expect(hosts.baseUrl('localhost:5000').href).toBe('http://localhost:5000/');
    expect(hosts.baseUrl('registry.lan:5000').protocol).toBe('http:');
    expect(hosts.baseUrl('registry.lan:5001').protocol).toBe('https:');
    expect(hosts.baseUrl('registry.lan').protocol).toBe('https:');
    expect(hosts.baseUrl('[::1]:5001').protocol).toBe('http:');
    expect(hosts.baseUrl('ghcr.io').href).toBe('https://ghcr.io/');
    expect(hosts.allows(new URL('http://other.lan:5000/token'))).toBe(false);
  });

  it('rejects an entry that is not HOST[:PORT], naming it', () => {
    for (const entry of [
      'http://registry.lan',
      'registry.lan/path',
      'user@registry.lan',
      'a b',
      'registry.lan:0',
      'registry.lan:70000',
    ]) {
      expect(() => new PlainHttpHosts([entry])).toThrow(/CONFIG_INVALID|not HOST or HOST:PORT/);
    }
  });
});
