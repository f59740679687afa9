import { describe, expect, it } from 'vitest';
import { parseTestFile } from './test-file.js';

const HEAD = 'apiVersion: pullguard.dev/v1\nkind: PolicyTest\npolicies: [p.yaml]\n';
/** `line:column CODE message (field)` of the problem (of each, when there are several). */
const error = (text: string) => {
  try {
    parseTestFile(text, '/t/x.pullguard-test.yaml');
  } catch (e) {
    type Problem = {
      code: string;
      message: string;
      location: { line: number; column: number };
      field?: string;
    };
    const problems = (e as { diagnostics?: Problem[] }).diagnostics ?? [e as Problem];
    return problems
      .map(
        (p) =>
          `${p.location.line}:${p.location.column} ${p.code} ${p.message}${p.field ? ` (${p.field})` : ''}`,
      )
      .join('\n');
  }
  return 'valid';
};

describe('policy test files', () => {
  it('reads cases with inline text, inline objects and files', () => {
    const test = parseTestFile(
      `${HEAD}cases:
  - name: text
    manifests: "kind: Pod"
    expect: { findings: [] }
  - name: objects
    namespace: prod
    labels: { env: prod }
    manifests: [{ kind: Pod }]
    files: [m.yaml]
    expect:
      findings:
        - { rule: require-digest, workload: Pod/web, container: web, action: deny }
`,
      '/t/x.pullguard-test.yaml',
    );
    expect(test.policies).toEqual(['/t/p.yaml']);
    expect(test.cases[0]).toMatchObject({
      name: 'text',
      namespace: 'default',
      inline: 'kind: Pod',
      expected: [],
    });
    expect(test.cases[1]).toMatchObject({
      namespace: 'prod',
      labels: { env: 'prod' },
      inline: [{ kind: 'Pod' }],
      files: ['/t/m.yaml'],
      expected: [{ rule: 'require-digest', workload: 'Pod/web', container: 'web', action: 'deny' }],
      location: { line: 8, column: 5 },
    });
  });

  it('says what is wrong, where, and in which field', () => {
    expect(error('apiVersion: v1\nkind: PolicyTest\npolicies: [p.yaml]\ncases: []\n')).toBe(
      '1:13 TEST_INVALID must be "pullguard.dev/v1" (found "v1") (apiVersion)\n' +
        '4:1 TEST_INVALID must list at least one item (cases)',
    );
    expect(error('kind: PolicyTest\n')).toBe(
      [
        '1:1 TEST_INVALID missing required field "apiVersion" (apiVersion)',
        '1:1 TEST_INVALID missing required field "policies" (policies)',
        '1:1 TEST_INVALID missing required field "cases" (cases)',
      ].join('\n'),
    );
    expect(error('')).toBe('1:1 TEST_INVALID must be a map (found null)');
    expect(error(`${HEAD}cases:\n  - name: a\n    expect: { findings: [] }\n`)).toBe(
      '5:5 TEST_INVALID a case needs `manifests` (inline) or `files` (cases[0])',
    );
    expect(error(`${HEAD}cases:\n  - name: a\n    files: [m]\n    expect: {}\n`)).toBe(
      '7:5 TEST_INVALID missing required field "findings" (cases[0].expect.findings)',
    );
    expect(
      error(
        `${HEAD}cases:\n  - name: a\n    files: [m]\n    expect: { findings: [{ rule: r, workload: web }] }\n`,
      ),
    ).toBe(
      '7:47 TEST_INVALID "web" is not valid: must be Kind/name (Deployment/web) (cases[0].expect.findings[0].workload)',
    );
    expect(
      error(
        `${HEAD}cases:\n  - name: a\n    files: [m]\n    expect: { findings: [{ rule: r, action: block }] }\n`,
      ),
    ).toBe(
      '7:45 TEST_INVALID must be one of deny, warn, audit (found "block") (cases[0].expect.findings[0].action)',
    );
    expect(
      error(
        `${HEAD}cases:\n  - { name: a, files: [m], expect: { findings: [] } }\n  - { name: a, files: [m], expect: { findings: [] } }\n`,
      ),
    ).toBe('6:13 TEST_INVALID two cases are named "a" (the first at line 5) (cases[1].name)');
  });

  it('reads registry fixtures (the case over the file) and expected mutations', () => {
    const D = `sha256:${'a'.repeat(64)}`;
    const test = parseTestFile(
      `${HEAD}registry:
  nginx:1.25: ${D}
  redis:7: 404
cases:
  - name: pin
    manifests: "kind: Pod"
    registry: { redis:7: ${D} }
    expect:
      findings: []
      mutations: [{ field: image, value: "nginx:1.25@${D}", container: web }]
  - name: plain
    manifests: "kind: Pod"
    expect: { findings: [] }
`,
      '/t/x.pullguard-test.yaml',
    );
    expect(test.cases[0]).toMatchObject({
      registry: { 'nginx:1.25': D, 'redis:7': D },
      mutations: [{ field: 'image', value: `nginx:1.25@${D}`, container: 'web' }],
    });
    expect(test.cases[1]).toMatchObject({
      registry: { 'nginx:1.25': D, 'redis:7': 404 },
      mutations: undefined,
    });
  });

  it('says where registry fixtures and mutations are wrong', () => {
    expect(
      error(
        `${HEAD}registry:\n  nginx:1.25: sha256:abc\ncases:\n  - { name: a, files: [m], expect: { findings: [] } }\n`,
      ),
    ).toMatch(/^5:15 TEST_INVALID "sha256:abc" is not a digest .*\(registry\["nginx:1\.25"\]\)$/);
    expect(
      error(
        `${HEAD}cases:\n  - name: a\n    files: [m]\n    registry: { nginx: 404 }\n    expect: { findings: [] }\n`,
      ),
    ).toBe(
      '7:17 TEST_INVALID "nginx" names neither a tag nor a digest (write nginx:TAG, nginx@sha256:…, or nginx/* for a prefix) (cases[0].registry.nginx)',
    );
    expect(
      error(
        `${HEAD}cases:\n  - name: a\n    files: [m]\n    registry: { a:1: latest, b:1: { error: 500 }, c:1: 500, d:1: { digest: sha256:abc, arch: x } }\n    expect: { findings: [] }\n`,
      ),
    ).toBe(
      [
        '7:22 TEST_INVALID "latest" is not a digest (sha256:…), exists, a failure (not-found, unauthorized, rate-limited, unreachable, timeout, tls, protocol), an HTTP status (401, 403, 404, 429), { digest, index } or { error, message } (cases[0].registry["a:1"])',
        '7:44 TEST_INVALID must be one of not-found, unauthorized, rate-limited, unreachable, timeout, tls, protocol, 401, 403, 404, 429 (found 500) (cases[0].registry["b:1"].error)',
        '7:56 TEST_INVALID must be one of 401, 403, 404, 429 (found 500) (cases[0].registry["c:1"])',
        '7:88 TEST_INVALID unknown field "arch" (expected one of: digest, index, mediaType, stale) (cases[0].registry["d:1"].arch)',
      ].join('\n'),
    );
    expect(
      error(
        `${HEAD}cases:\n  - name: a\n    files: [m]\n    expect: { findings: [], mutations: [{ value: x }] }\n`,
      ),
    ).toBe('7:41 TEST_INVALID missing required field "field" (cases[0].expect.mutations[0].field)');
  });
});
