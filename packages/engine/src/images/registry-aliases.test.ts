import { describe, expect, it } from 'vitest';
import { canonicalRegistryHost, canonicalRegistryName, registrySpellings } from './registry-aliases.js';

describe('the canonical spelling of a registry host', () => {
  it.each([
    ['evil.com', 'evil.com'],
    ['evil.com:443', 'evil.com'],
    ['evil.com:0443', 'evil.com'],
    ['evil.com:5000', 'evil.com:5000'],
    ['evil.com:05000', 'evil.com:5000'],
    ['evil.com:8443', 'evil.com:8443'],
    ['evil.com:0', 'evil.com:0'],
    ['[::1]:443', '[::1]'],
    ['[::1]', '[::1]'],
    ['docker.io', 'docker.io'],
    ['docker.io:443', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['index.docker.io:443', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['registry-1.docker.io:443', 'docker.io'],
    ['registry.hub.docker.com', 'docker.io'],
    ['docker.io:5000', 'docker.io:5000'],
    ['registry-1.docker.io.evil.com', 'registry-1.docker.io.evil.com'],
  ])('%s → %s', (host, canonical) => {
    expect(canonicalRegistryHost(host)).toBe(canonical);
  });
});

describe('the canonical spelling of a name', () => {
  it.each([
    ['evil.com:443/x', 'evil.com/x'],
    ['registry-1.docker.io/library/nginx', 'docker.io/library/nginx'],
    ['registry-1.docker.io/nginx', 'docker.io/library/nginx'],
    ['docker.io:443/acme/app', 'docker.io/acme/app'],
    ['docker.io/library/nginx', 'docker.io/library/nginx'],
    ['foo_bar.com/x', 'foo_bar.com/x'],
  ])('%s → %s', (name, canonical) => {
    expect(canonicalRegistryName(name)).toBe(canonical);
  });
});

describe('spellings of a canonical name', () => {
  it('add the default HTTPS port to a host without one', () => {
    expect(registrySpellings('evil.com/x')).toEqual(['evil.com/x', 'evil.com:443/x']);
    expect(registrySpellings('evil.com:5000/x')).toEqual(['evil.com:5000/x']);
  });

  it('cover every name of Docker Hub, and official images with and without library/', () => {
    const spellings = registrySpellings('docker.io/library/nginx');
    expect(spellings).toHaveLength(16);
    expect(spellings).toEqual(
      expect.arrayContaining([
        'docker.io/library/nginx',
        'docker.io:443/nginx',
        'registry-1.docker.io/library/nginx',
        'registry-1.docker.io:443/nginx',
        'index.docker.io:443/library/nginx',
        'registry.hub.docker.com/nginx',
      ]),
    );
    expect(registrySpellings('docker.io/acme/app')).toHaveLength(8);
  });
});
