import { describe, expect, it } from 'vitest';
import { factsFor, messages, prepareRule } from './__fixtures__/rule-harness.js';
import { allowedRegistries } from './allowed-registries.js';

const allowed = { registries: ['registry.acme.io/', 'ghcr.io/acme/', 'docker.io/acme/', 'reg.local:5000/'] };

describe('allowed-registries', () => {
  it.each([
    ['registry.acme.io/team/api:1', 0],
    ['ghcr.io/acme/api:2.3', 0],
    ['acme/tool:1', 0],
    ['reg.local:5000/app', 0],
    ['registry.acme.io.evil.com/x', 1],
    ['ghcr.io/acme-evil/x', 1],
    ['ghcr.io/acme', 1],
    ['nginx', 1],
    ['docker.io/library/nginx:1.25', 1],
    ['reg.local:5001/app', 1],
    ['reg.local/app', 1],
    ['evil.com/registry.acme.io/x', 1],
  ])('judges %s (%i violations)', (image, count) => {
    expect(messages(allowedRegistries, factsFor(image), allowed)).toHaveLength(count);
  });

  it.each([
    'registry.acme.io:443/team/api:1',
    'ghcr.io:443/acme/api:2.3',
    'registry-1.docker.io/acme/tool:1',
    'index.docker.io:443/acme/tool:1',
    'docker.io:443/acme/tool:1',
    'reg.local:05000/app',
  ])('stays exact and fails closed: %s is another spelling, not an allowed name', (image) => {
    expect(messages(allowedRegistries, factsFor(image), allowed)).toHaveLength(1);
  });

  it('names the normalized name and the allowed patterns', () => {
    expect(messages(allowedRegistries, factsFor('nginx'), { registries: ['docker.io/acme/'] })).toEqual([
      'nginx is docker.io/library/nginx, which matches none of the allowed registries (docker.io/acme/).',
    ]);
  });

  it('reports bad patterns as errors and doubtful ones as warnings at load, with their index', () => {
    const { problems } = prepareRule(allowedRegistries, {
      registries: ['ghcr.io/acme/', 'Bad Pattern', 'registry.acme.io'],
    });
    expect(problems).toEqual([
      expect.objectContaining({ field: 'registries[1]', code: 'POLICY_BAD_PATTERN', severity: 'error' }),
      expect.objectContaining({ field: 'registries[2]', code: 'POLICY_BAD_PATTERN', severity: 'warning' }),
    ]);
  });
});
