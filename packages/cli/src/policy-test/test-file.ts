import { dirname, resolve } from 'node:path';
import type { RegistryFixtures, SourceLocation } from '@pullguard/engine';
import {
  type FieldPath,
  isRecord,
  type LocatedYaml,
  parseLocatedYaml,
  readChoice,
  readOptionalString,
  readRecord,
  readString,
  readStringList,
  readStringMap,
} from '../config/located-yaml.js';
import { readUserFile } from '../config/read-user-file.js';
import { readRegistryFixtures } from '../registry/fixtures-file.js';
import { ACTIONS_FOR_TESTS } from './expectations.js';

/**
 * A policy test file (`*.pullguard-test.yaml`), validated with a line number for every mistake:
 *
 * ```yaml
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

function readWorkload(src: LocatedYaml, value: unknown, path: FieldPath): string | undefined {
  const workload = readOptionalString(src, value, path);
  if (workload !== undefined && !/^[^/]+\/[^/]+$/.test(workload)) {
    src.fail(path, `workload must be written Kind/name (e.g. Deployment/web), got "${workload}"`);
  }
  return workload;
}

export const TEST_API_VERSION = 'pullguard.dev/v1';
export const TEST_KIND = 'PolicyTest';

function readExpected(src: LocatedYaml, value: unknown, path: FieldPath): ExpectedFinding {
  const e = readRecord(src, value, path, ['rule', 'workload', 'container', 'action', 'policy', 'image']);
  return {
    rule: readString(src, e.rule, [...path, 'rule']),
    workload: readWorkload(src, e.workload, [...path, 'workload']),
    container: readOptionalString(src, e.container, [...path, 'container']),
    action: readChoice(src, e.action, [...path, 'action'], ACTIONS_FOR_TESTS),
    policy: readOptionalString(src, e.policy, [...path, 'policy']),
    image: readOptionalString(src, e.image, [...path, 'image']),
  };
}

function readMutation(src: LocatedYaml, value: unknown, path: FieldPath): ExpectedMutation {
  const m = readRecord(src, value, path, ['field', 'value', 'workload', 'container']);
  const field = readChoice(src, m.field, [...path, 'field'], MUTATION_FIELDS);
  if (field === undefined)
    src.fail([...path, 'field'], `field is required: one of ${MUTATION_FIELDS.join(', ')}`);
  return {
    field,
    value: readString(src, m.value, [...path, 'value']),
    workload: readWorkload(src, m.workload, [...path, 'workload']),
    container: readOptionalString(src, m.container, [...path, 'container']),
  };
}

function readCase(
  src: LocatedYaml,
  value: unknown,
  path: FieldPath,
  dir: string,
  fileRegistry: RegistryFixtures | undefined,
): TestCase {
  const c = readRecord(src, value, path, [
    'name',
    'namespace',
    'labels',
    'manifests',
    'files',
    'registry',
    'expect',
  ]);
  let inline: TestCase['inline'];
  if (typeof c.manifests === 'string') inline = c.manifests;
  else if (Array.isArray(c.manifests)) inline = c.manifests;
  else if (isRecord(c.manifests)) inline = [c.manifests];
  else if (c.manifests !== undefined)
    src.fail([...path, 'manifests'], 'manifests must be YAML text, an object or a list of objects');
  const files = readStringList(src, c.files, [...path, 'files']).map((f) => resolve(dir, f));
  if (inline === undefined && files.length === 0)
    src.fail(path, 'a case needs `manifests` (inline) or `files`');
  const expect = readRecord(src, c.expect, [...path, 'expect'], ['findings', 'mutations']);
  if (!Array.isArray(expect.findings)) {
    src.fail(
      [...path, 'expect', 'findings'],
      'expect.findings must be a list (write `findings: []` for "no findings")',
    );
  }
  return {
    name: readString(src, c.name, [...path, 'name']),
    namespace: readOptionalString(src, c.namespace, [...path, 'namespace']) ?? 'default',
    labels: c.labels === undefined ? undefined : readStringMap(src, c.labels, [...path, 'labels']),
    inline,
    files,
    expected: expect.findings.map((e, i) => readExpected(src, e, [...path, 'expect', 'findings', i])),
    mutations: readMutations(src, expect.mutations, [...path, 'expect', 'mutations']),
    registry:
      c.registry === undefined
        ? fileRegistry
        : { ...fileRegistry, ...readRegistryFixtures(src, c.registry, [...path, 'registry']) },
    location: src.locate(path),
  };
}

function readMutations(src: LocatedYaml, value: unknown, path: FieldPath): ExpectedMutation[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value))
    src.fail(path, 'expect.mutations must be a list (write `mutations: []` for "none")');
  return value.map((m, i) => readMutation(src, m, [...path, i]));
}

export function parseTestFile(text: string, file: string): PolicyTestFile {
  const src: LocatedYaml = parseLocatedYaml(text, file, 'TEST_INVALID');
  const t = readRecord(
    src,
    src.value,
    [],
    ['apiVersion', 'kind', 'name', 'policies', 'plugins', 'registry', 'cases'],
  );
  if (t.apiVersion !== TEST_API_VERSION) src.fail(['apiVersion'], `apiVersion must be ${TEST_API_VERSION}`);
  if (t.kind !== TEST_KIND) src.fail(['kind'], `kind must be ${TEST_KIND}`);
  const dir = dirname(resolve(file));
  const policies = readStringList(src, t.policies, ['policies']).map((p) => resolve(dir, p));
  if (policies.length === 0)
    src.fail(['policies'], 'policies must name at least one policy file or directory');
  if (!Array.isArray(t.cases) || t.cases.length === 0) src.fail(['cases'], 'cases must be a non-empty list');
  const registry = t.registry === undefined ? undefined : readRegistryFixtures(src, t.registry, ['registry']);
  const cases = t.cases.map((c, i) => readCase(src, c, ['cases', i], dir, registry));
  const names = new Set<string>();
  cases.forEach((c, i) => {
    if (names.has(c.name)) src.fail(['cases', i, 'name'], `two cases are named "${c.name}"`);
    names.add(c.name);
  });
  return {
    file,
    name: readOptionalString(src, t.name, ['name']) ?? file,
    policies,
    plugins: readStringList(src, t.plugins, ['plugins']).map((p) =>
      p.startsWith('.') ? resolve(dir, p) : p,
    ),
    cases,
  };
}

export async function loadTestFile(file: string): Promise<PolicyTestFile> {
  return parseTestFile(await readUserFile(file, 'TEST_INVALID', 'test file'), file);
}
