import { describe, expect, it } from 'vitest';
import { parseTestFile } from './test-file.js';

const HEAD = 'apiVersion: pullguard.dev/v1\nkind: PolicyTest\npolicies: [p.yaml]\n';
const error = (text: string) => {
  try {
    parseTestFile(text, '/t/x.pullguard-test.yaml');
  } catch (e) {
    const err = e as { code: string; message: string; location: { line: number; column: number } };
    return `${err.location.line}:${err.location.column} ${err.code} ${err.message}`;
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

  it('says what is wrong and where', () => {
    expect(error('apiVersion: v1\nkind: PolicyTest\n')).toBe(
      '1:13 TEST_INVALID apiVersion must be pullguard.dev/v1',
    );
    expect(error(`${HEAD}cases: []\n`)).toBe('4:8 TEST_INVALID cases must be a non-empty list');
    expect(error(`${HEAD}cases:\n  - name: a\n    expect: { findings: [] }\n`)).toBe(
      '5:5 TEST_INVALID a case needs `manifests` (inline) or `files`',
    );
    expect(error(`${HEAD}cases:\n  - name: a\n    files: [m]\n    expect: {}\n`)).toBe(
      '7:13 TEST_INVALID expect.findings must be a list (write `findings: []` for "no findings")',
    );
    expect(
      error(
        `${HEAD}cases:\n  - name: a\n    files: [m]\n    expect: { findings: [{ rule: r, workload: web }] }\n`,
      ),
    ).toBe('7:47 TEST_INVALID workload must be written Kind/name (e.g. Deployment/web), got "web"');
    expect(
      error(
        `${HEAD}cases:\n  - name: a\n    files: [m]\n    expect: { findings: [{ rule: r, action: block }] }\n`,
      ),
    ).toBe('7:45 TEST_INVALID cases[0].expect.findings[0].action must be one of: deny, warn, audit');
    expect(
      error(
        `${HEAD}cases:\n  - { name: a, files: [m], expect: { findings: [] } }\n  - { name: a, files: [m], expect: { findings: [] } }\n`,
      ),
    ).toBe('6:13 TEST_INVALID two cases are named "a"');
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
    ).toMatch(/^5:15 TEST_INVALID "sha256:abc" is not a digest/);
    expect(
      error(
        `${HEAD}cases:\n  - name: a\n    files: [m]\n    registry: { nginx: 404 }\n    expect: { findings: [] }\n`,
      ),
    ).toBe(
      '7:17 TEST_INVALID "nginx" names neither a tag nor a digest (write nginx:TAG, nginx@sha256:…, or nginx/* for a prefix)',
    );
    expect(
      error(
        `${HEAD}cases:\n  - name: a\n    files: [m]\n    expect: { findings: [], mutations: [{ value: x }] }\n`,
      ),
    ).toBe('7:41 TEST_INVALID field is required: one of image, reference, imagePullPolicy, pullPolicy');
  });
});
