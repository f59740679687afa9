import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config-file.js';

const at = (text: string) => {
  try {
    parseConfig(text, '/repo/.pullguard/config.yaml');
  } catch (error) {
    const e = error as {
      code: string;
      message: string;
      location: { line: number; column: number };
      field?: string;
    };
    return `${e.location.line}:${e.location.column} ${e.code} ${e.message}${e.field ? ` (${e.field})` : ''}`;
  }
  return 'valid';
};

describe('config file', () => {
  it('resolves paths against its own directory and keeps package names as they are', () => {
    const config = parseConfig(
      'policies: [policies/, /abs/p.yaml]\nplugins: [./plugins/a.js, "@acme/pullguard-rules"]\nnamespacesFile: ns.yaml\n',
      '/repo/.pullguard/config.yaml',
    );
    expect(config.policies).toEqual([resolve('/repo/.pullguard/policies'), '/abs/p.yaml']);
    expect(config.plugins).toEqual([resolve('/repo/.pullguard/plugins/a.js'), '@acme/pullguard-rules']);
    expect(config.namespacesFile).toBe(resolve('/repo/.pullguard/ns.yaml'));
  });

  it('accepts a single string where a list is expected, and an empty file', () => {
    expect(parseConfig('policies: p.yaml\n', '/c.yaml').policies).toEqual([resolve('/p.yaml')]);
    expect(parseConfig('', '/c.yaml')).toMatchObject({ policies: [], plugins: [], failOn: undefined });
  });

  it('reads failOn, format, namespace and cache', () => {
    expect(
      parseConfig('failOn: warn\nformat: sarif\nnamespace: apps\ncache: {max: 10}\n', '/c.yaml'),
    ).toMatchObject({
      failOn: 'warn',
      format: 'sarif',
      namespace: 'apps',
      cache: { max: 10 },
    });
    expect(parseConfig('cache: false\n', '/c.yaml').cache).toBe(false);
  });

  it('reads ruleTimeoutMs and the manifests section (paths dotted or listed)', () => {
    const config = parseConfig(
      `ruleTimeoutMs: 2500
manifests:
  wellKnownKinds: true
  podSpecPaths:
    argoproj.io/Rollout: spec.template.spec
    Worker: [spec, podSpec]
  limits: { maxDocumentBytes: 1024, maxAliases: 0, maxDepth: 20 }
`,
      '/c.yaml',
    );
    expect(config.ruleTimeoutMs).toBe(2500);
    expect(config.manifests).toEqual({
      wellKnownKinds: true,
      podSpecPaths: { 'argoproj.io/Rollout': ['spec', 'template', 'spec'], Worker: ['spec', 'podSpec'] },
      limits: { maxDocumentBytes: 1024, maxAliases: 0, maxDepth: 20 },
    });
    expect(parseConfig('', '/c.yaml').manifests).toEqual({
      wellKnownKinds: undefined,
      podSpecPaths: {},
      limits: {},
    });
  });

  it('rejects every mistake in ruleTimeoutMs and manifests with its line, column and field', () => {
    expect(at('ruleTimeoutMs: 1.5\n')).toBe(
      '1:16 CONFIG_INVALID must be a whole number of milliseconds from 1 to 2147483647 (found 1.5) (ruleTimeoutMs)',
    );
    expect(at('ruleTimeoutMs: 2147483648\n')).toMatch(
      /^1:16 CONFIG_INVALID must be a whole number .* \(ruleTimeoutMs\)$/,
    );
    expect(at('manifests: { kinds: [] }\n')).toBe(
      '1:14 CONFIG_INVALID unknown field "kinds" (expected one of: wellKnownKinds, podSpecPaths, limits) (manifests.kinds)',
    );
    expect(at('manifests: { wellKnownKinds: yes }\n')).toBe(
      '1:30 CONFIG_INVALID must be a boolean (found string "yes") (manifests.wellKnownKinds)',
    );
    expect(at('manifests:\n  podSpecPaths:\n    apps/v1/Deployment: spec\n')).toBe(
      '3:5 CONFIG_INVALID "apps/v1/Deployment" is not valid: must be group/Kind (argoproj.io/Rollout), the group a DNS subdomain of at most 253 characters, or Kind for any group (manifests.podSpecPaths["apps/v1/Deployment"])',
    );
    expect(at(`manifests:\n  podSpecPaths:\n    ${'a'.repeat(254)}/Worker: spec\n`)).toMatch(
      /^3:5 CONFIG_INVALID "a+\.\.\. is not valid: must be group\/Kind .*\(manifests\.podSpecPaths\["a{254}\/Worker"\]\)$/,
    );
    expect(at('manifests:\n  podSpecPaths:\n    Worker: spec..spec\n')).toBe(
      '3:13 CONFIG_INVALID "spec..spec" is not valid: must be a dotted path (spec.template.spec) of 1 to 16 field names, or a list of them (manifests.podSpecPaths.Worker)',
    );
    expect(at('manifests:\n  podSpecPaths:\n    Worker: [spec, 1]\n')).toBe(
      '3:20 CONFIG_INVALID must be a string (found number 1) (manifests.podSpecPaths.Worker[1])',
    );
    expect(at(`manifests:\n  podSpecPaths:\n    Worker: [${Array(17).fill('s').join(', ')}]\n`)).toBe(
      '3:5 CONFIG_INVALID must list at most 16 items (found 17) (manifests.podSpecPaths.Worker)',
    );
    expect(at('manifests: { limits: { maxDepth: 0 } }\n')).toBe(
      '1:34 CONFIG_INVALID must be at least 1 (found 0) (manifests.limits.maxDepth)',
    );
  });

  it('rejects every mistake with its line, column and field', () => {
    expect(at('polices: [a]\n')).toBe(
      '1:1 CONFIG_INVALID unknown field "polices" (did you mean "policies"?) (polices)',
    );
    expect(at('policies: [a, 3]\n')).toBe(
      '1:15 CONFIG_INVALID must be a string (found number 3) (policies[1])',
    );
    expect(at('policies: ""\n')).toBe('1:11 CONFIG_INVALID must not be empty (policies)');
    expect(at('format: xml\n')).toBe(
      '1:9 CONFIG_INVALID must be one of table, compact, json, sarif, junit, github, policyreport, openreports (found "xml") (format)',
    );
    expect(at('cache: {max: -1}\n')).toBe('1:14 CONFIG_INVALID must be at least 0 (found -1) (cache.max)');
    expect(at('cache: true\n')).toBe('1:8 CONFIG_INVALID must be false (found true) (cache)');
    expect(at('- a\n- b\n')).toBe('1:1 CONFIG_INVALID must be a map (found a list)');
    expect(at('policies: [a\n')).toMatch(/^2:1 CONFIG_INVALID /);
    expect(at('a: 1\na: 2\n')).toMatch(/^2:1 CONFIG_INVALID Map keys must be unique/);
    expect(at('policies: [a]\n---\nformat: json\n')).toBe(
      '3:1 CONFIG_INVALID a config file holds one YAML document; a second one starts here',
    );
  });

  it('reports every mistake of a file at once, each at its place', () => {
    expect(() => parseConfig('failOn: sometimes\npolicies: 7\n', '/c.yaml')).toThrow(
      expect.objectContaining({
        name: 'PullguardAggregateError',
        diagnostics: [
          expect.objectContaining({ location: { file: '/c.yaml', line: 1, column: 9 }, field: 'failOn' }),
          expect.objectContaining({
            message: 'must be a string or a list (found number 7)',
            location: { file: '/c.yaml', line: 2, column: 11 },
            field: 'policies',
          }),
        ],
      }),
    );
  });
});
