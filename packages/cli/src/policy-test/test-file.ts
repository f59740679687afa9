import { dirname, resolve } from 'node:path';
import type { Diagnostic, RegistryFixtures, SourceLocation } from '@pullguard/engine';
import { parseUserDocument, throwProblems } from '@pullguard/engine/internals';
import { resolvePaths, resolvePlugins } from '../config/config-file.js';
import { readUserFile } from '../config/read-user-file.js';
import { userFileCheck } from '../config/user-file-schemas.js';
import { FIXTURE_MESSAGES, fixtureProblems } from '../registry/fixtures-file.js';
import type { ACTIONS_FOR_TESTS } from './expectations.js';

/**
 * A policy test file (`*.pullguard-test.yaml`). Its JSON Schema,
 * packages/cli/schemas/policy-test.schema.json, says what each field takes; every mistake is a
 * TEST_INVALID error at its line and column.
 *
 * ```yaml
 * # yaml-language-server: $schema=https://pullguard.dev/schemas/policy-test.schema.json
 * apiVersion: pullguard.dev/v1
 * kind: PolicyTest
 * name: production policy             # optional; defaults to the file name
 * policies: [../policies/prod.yaml]   # files or directories, relative to this file
 * plugins: [../plugins/acme.js]       # optional
 * registry:                           # optional: registry fixtures for every case (docs/registry.md#fixtures)
 *   nginx:1.25: sha256:…
 * cases:
 *   - name: latest is denied in prod
 *     namespace: prod                 # default "default"
 *     labels: { env: prod }           # optional: the namespace's labels
 *     manifests: |                    # inline YAML/JSON text, or a list of objects
 *       apiVersion: v1
 *       kind: Pod
 *       …
 *     files: [manifests/pod.yaml]     # and/or manifest files, relative to this file
 *     registry: { nginx:1.25: 404 }   # optional: fixtures of this case, over the file's
 *     expect:
 *       findings:                     # exactly these, in any order; [] means none
 *         - rule: disallow-latest      # required
 *           workload: Pod/web          # Kind/name
 *           container: web
 *           action: deny               # optional: deny | warn | audit
 *           policy: prod               # optional
 *           image: nginx:latest        # optional, as written
 *       mutations:                    # optional: exactly these mutations (the webhook's patch)
 *         - field: image               # image | reference | imagePullPolicy | pullPolicy
 *           value: nginx:1.25@sha256:…
 *           workload: Pod/web          # optional
 *           container: web             # optional
 * ```
 */
export interface ExpectedFinding {
  rule: string;
  workload?: string | undefined;
  container?: string | undefined;
  action?: (typeof ACTIONS_FOR_TESTS)[number] | undefined;
  policy?: string | undefined;
  image?: string | undefined;
}

export const MUTATION_FIELDS = ['image', 'reference', 'imagePullPolicy', 'pullPolicy'] as const;

export interface ExpectedMutation {
  field: (typeof MUTATION_FIELDS)[number];
  value: string;
  workload?: string | undefined;
  container?: string | undefined;
}

export interface TestCase {
  name: string;
  namespace: string;
  labels: Record<string, string> | undefined;
  /** Inline manifests: YAML/JSON text, or objects. */
  inline: string | unknown[] | undefined;
  files: string[];
  expected: ExpectedFinding[];
  /** undefined: mutations are not compared. */
  mutations: ExpectedMutation[] | undefined;
  /** The file's fixtures with the case's over them; undefined when neither declares any. */
  registry: RegistryFixtures | undefined;
  location: SourceLocation;
}

export interface PolicyTestFile {
  file: string;
  name: string;
  policies: string[];
  plugins: string[];
  cases: TestCase[];
}

/** A test file as written: the schema has checked every field. */
interface WrittenTest {
  name?: string;
  policies: string | string[];
  plugins?: string | string[];
  registry?: RegistryFixtures;
  cases: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    manifests?: string | Record<string, unknown> | unknown[];
    files?: string | string[];
    registry?: RegistryFixtures;
    expect: { findings: ExpectedFinding[]; mutations?: ExpectedMutation[] };
  }[];
}

const TEST_CHECK = userFileCheck('policy-test', (error, path) => {
  if (error.keyword === 'anyOf' && path.length === 2 && path[0] === 'cases')
    return 'a case needs `manifests` (inline) or `files`';
  return FIXTURE_MESSAGES(error, path);
});

export function parseTestFile(text: string, file: string): PolicyTestFile {
  const document = parseUserDocument(text, file, {
    code: 'TEST_INVALID',
    what: 'policy test',
    check: TEST_CHECK,
  });
  const written = document.value as WrittenTest;
  // What the schema cannot say: fixtures the engine rejects, and two cases of one name.
  const problems: Diagnostic[] = written.registry ? fixtureProblems(document, ['registry']) : [];
  const firstNamed = new Map<string, number>();
  written.cases.forEach((c, i) => {
    if (c.registry) problems.push(...fixtureProblems(document, ['cases', i, 'registry']));
    const first = firstNamed.get(c.name);
    if (first === undefined) firstNamed.set(c.name, i);
    else
      problems.push(
        document.problem(
          ['cases', i, 'name'],
          `two cases are named "${c.name}" (the first at line ${document.locate(['cases', first]).line})`,
        ),
      );
  });
  throwProblems('policy test', problems);
  const dir = dirname(resolve(file));
  return {
    file,
    name: written.name ?? file,
    policies: resolvePaths(dir, written.policies),
    plugins: resolvePlugins(dir, written.plugins),
    cases: written.cases.map((c, i) => ({
      name: c.name,
      namespace: c.namespace ?? 'default',
      labels: c.labels,
      inline:
        c.manifests === undefined || typeof c.manifests === 'string' || Array.isArray(c.manifests)
          ? c.manifests
          : [c.manifests],
      files: resolvePaths(dir, c.files),
      expected: c.expect.findings,
      mutations: c.expect.mutations,
      registry: c.registry === undefined ? written.registry : { ...written.registry, ...c.registry },
      location: document.locate(['cases', i]),
    })),
  };
}

export async function loadTestFile(file: string): Promise<PolicyTestFile> {
  return parseTestFile(await readUserFile(file, 'TEST_INVALID', 'test file'), file);
}
