import { describe, expect, it } from 'vitest';
import {
  canonicalRegistryHost,
  canonicalRegistryName,
  hostSpellings,
  pathSpellings,
} from './registry-aliases.js';

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
    // `Docker.IO/nginx` with its host lowercased: normalize.go adds `library/` only to `docker.io` as written.
    ['docker.io/nginx', 'docker.io/library/nginx'],
    ['docker.io/acme/app', 'docker.io/acme/app'],
    ['foo_bar.com/x', 'foo_bar.com/x'],
    // The parser adds `library/` only to `docker.io` as written; `DOCKER.IO/nginx` (lowercased
    // here) is the same Docker Hub, so its one-component path is an official image too (found by
    // the fuzz suite: denylists judged `DOCKER.IO/nginx` and `INDEX.DOCKER.IO/nginx` differently).
    ['docker.io/nginx', 'docker.io/library/nginx'],
  ])('%s → %s', (name, canonical) => {
    expect(canonicalRegistryName(name)).toBe(canonical);
  });
});

describe('spellings of a canonical host and path', () => {
  it('add the default HTTPS port to a host without one', () => {
    expect(hostSpellings('evil.com')).toEqual(['evil.com', 'evil.com:443']);
    expect(hostSpellings('evil.com:5000')).toEqual(['evil.com:5000']);
    expect(hostSpellings('[::1]')).toEqual(['[::1]', '[::1]:443']);
  });

  it('cover every name of Docker Hub, with and without the port', () => {
    expect(hostSpellings('docker.io')).toEqual([
      'docker.io',
      'docker.io:443',
      'index.docker.io',
      'index.docker.io:443',
      'registry-1.docker.io',
      'registry-1.docker.io:443',
      'registry.hub.docker.com',
      'registry.hub.docker.com:443',
    ]);
  });

  it('write an official Docker Hub image with and without library/', () => {
    expect(pathSpellings('docker.io', '/library/nginx')).toEqual(['/library/nginx', '/nginx']);
    expect(pathSpellings('docker.io', '/library/a/b')).toEqual(['/library/a/b']);
    expect(pathSpellings('docker.io', '/acme/app')).toEqual(['/acme/app']);
    expect(pathSpellings('quay.io', '/library/nginx')).toEqual(['/library/nginx']);
  });
});
