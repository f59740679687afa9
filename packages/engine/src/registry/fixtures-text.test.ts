import { describe, expect, it } from 'vitest';
import { parseRegistryFixtures } from './fixtures-text.js';

const A = `sha256:${'a'.repeat(64)}`;

describe('parseRegistryFixtures', () => {
  it('reads the fixtures createFixtureResolver takes', () => {
    const text = `nginx:1.25: ${A}\nghcr.io/acme/api:2: { digest: ${A}, index: true }\nprivate.acme.io/app:1: unauthorized\n`;
    expect(parseRegistryFixtures(text, 'registry.yaml')).toEqual({
      fixtures: {
        'nginx:1.25': A,
        'ghcr.io/acme/api:2': { digest: A, index: true },
        'private.acme.io/app:1': 'unauthorized',
      },
      errors: [],
    });
  });

  it('has no fixtures in an empty text', () => {
    expect(parseRegistryFixtures('# none yet\n')).toEqual({ fixtures: undefined, errors: [] });
  });

  it('says where each mistake is: a bad answer at its value, a bad key at the key', () => {
    const { fixtures, errors } = parseRegistryFixtures(`nginx:1.25: ${A}\nnginx: sha256:1\n`, 'r.yaml');
    expect(fixtures).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'CONFIG_INVALID', location: { file: 'r.yaml', line: 2 } });
  });

  it('reports a syntax error with its position, and a second document', () => {
    const syntax = parseRegistryFixtures('a: [\n');
    expect(syntax.errors[0]).toMatchObject({ code: 'CONFIG_INVALID', severity: 'error' });
    expect(syntax.errors[0]!.location!.line).toBeGreaterThan(0);
    const two = parseRegistryFixtures(`nginx:1: ${A}\n---\nnginx:2: ${A}\n`);
    expect(two.errors.map((e) => e.location?.line)).toEqual([3]);
  });
});
