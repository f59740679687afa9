import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './helpers.js';

const POLICY = ['--policy', fixture('registry', 'policy.yaml')];
const FIXTURES = ['--registry-fixtures', fixture('registry', 'fixtures.yaml')];

describe('pullguard check with registry rules', () => {
  it('asks the registry (here: fixtures) and reports what it says', async () => {
    const run = await runCli([
      'check',
      ...POLICY,
      ...FIXTURES,
      '--format',
      'json',
      fixture('registry', 'private.yaml'),
    ]);
    const findings = JSON.parse(run.stdout).findings.map(
      (f: { rule: string; action: string; status: string; image: { raw: string }; hint: string }) =>
        `${f.action} ${f.status} ${f.rule} ${f.image.raw}: ${f.hint}`,
    );
    expect(findings).toEqual([
      expect.stringMatching(/^deny violation require-digest nginx:1\.25: /),
      // onRegistryError: warn in the policy.
      'warn error image-exists private.acme.io/tools:3: run docker login private.acme.io, or pass --registry-auth FILE',
      'warn error require-digest private.acme.io/tools:3: run docker login private.acme.io, or pass --registry-auth FILE',
    ]);
    expect(run.code).toBe(1);
  });

  it('with --offline, registry rules are "not checked" warnings on stderr, never findings', async () => {
    const run = await runCli([
      'check',
      ...POLICY,
      '--offline',
      '--format',
      'json',
      fixture('registry', 'web.yaml'),
    ]);
    expect(run.stderr).toMatch(
      /web\.yaml:12:18: REGISTRY_NOT_CHECKED image-exists \(policy shop\): not checked: whether nginx:1\.25 exists \(no registry access is configured/,
    );
    const rules = JSON.parse(run.stdout).findings.map((f: { rule: string }) => f.rule);
    expect(rules).toEqual(['require-digest', 'require-digest']);
    expect(run.code).toBe(0);
  });
});
