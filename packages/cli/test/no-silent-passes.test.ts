/**
 * `pullguard check` never passes a run that judged nothing, and says what it could not judge:
 * no workloads, kinds that run pods but are not enabled, namespaceSelectors without labels,
 * kustomizations and charts (rendered with --render, by the real command found on PATH).
 */
import { chmod, cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from './helpers.js';

const POLICY = ['--policy', fixture('policies')];
const json = (stdout: string) =>
  JSON.parse(stdout) as {
    errors: { code: string; message: string; file: string | null; line: number | null }[];
    warnings: { code: string; message: string; file: string | null; line: number | null }[];
    findings: { rule: string; policy: string; namespace: string; location: { file: string } }[];
  };

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'pullguard-silent-'));
});

describe('a run that read no workloads is not green', () => {
  it('exits 2 for an empty folder, a folder without YAML, a mistyped path and a file of ConfigMaps', async () => {
    const empty = join(scratch, 'empty');
    const notes = join(scratch, 'notes');
    await mkdir(empty);
    await mkdir(notes);
    await writeFile(join(notes, 'README.md'), '# not YAML\n');
    const configMaps = join(scratch, 'config.yaml');
    await writeFile(configMaps, 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: app }\ndata: { a: b }\n');
    const cases: [string, RegExp][] = [
      [empty, /no \.yaml, \.yml or \.json files/],
      [notes, /no \.yaml, \.yml or \.json files/],
      [join(scratch, 'mistyped'), /no Kubernetes objects could be read \(1 load error\)/],
      [configMaps, /1 object read, none of a kind that runs pods/],
    ];
    for (const [path, why] of cases) {
      const run = await runCli(['check', ...POLICY, path]);
      expect(run.code, path).toBe(2);
      expect(run.stderr).toContain(`NO_WORKLOADS no Kubernetes workloads found in ${path}: `);
      expect(run.stderr).toMatch(why);
      expect(run.stdout).toMatch(/^✖ nothing checked .* 0 workloads/m);
    }
  });

  it('reports it in the JSON errors, and --allow-empty makes it a warning with exit 0', async () => {
    const empty = await mkdtemp(join(scratch, 'empty-'));
    const strict = await runCli(['check', ...POLICY, '--format', 'json', empty]);
    expect(strict.code).toBe(2);
    expect(json(strict.stdout).errors.map((e) => e.code)).toEqual(['NO_WORKLOADS']);
    const allowed = await runCli(['check', ...POLICY, '--allow-empty', '--format', 'json', empty]);
    expect(allowed.code).toBe(0);
    expect(json(allowed.stdout).errors).toEqual([]);
    expect(json(allowed.stdout).warnings.map((w) => w.code)).toEqual(['NO_WORKLOADS']);
    expect(allowed.stderr).toMatch(/NO_WORKLOADS no Kubernetes workloads found/);
  });
});

describe('kinds that run pods but are not read without --well-known-kinds', () => {
  it('get one warning per kind, at the first object, naming the flag', async () => {
    // Both files in one folder, so that which comes first does not depend on where the repo is.
    const kinds = join(scratch, 'kinds');
    await cp(fixture('crd-workloads'), join(kinds, 'crd-workloads'), { recursive: true });
    const knative = join(kinds, 'a-knative.yaml');
    const service = (name: string) =>
      `apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: { name: ${name} }\nspec: { template: { spec: { containers: [{ image: nginx }] } } }\n`;
    await writeFile(knative, `${service('a')}---\n${service('b')}`);
    const run = await runCli([
      'check',
      ...POLICY,
      '--format',
      'json',
      kinds,
      fixture('manifests', 'clean.yaml'),
    ]);
    expect(run.code).toBe(0);
    const warnings = json(run.stdout).warnings.filter((w) => w.code === 'KIND_NOT_READ');
    // Sorted by position; each at the first object of its kind.
    expect(warnings.map((w) => [w.message.replace(/: pass.*/, ''), w.file, w.line])).toEqual([
      ['3 objects of kind serving.knative.dev/Service run pods but were not checked', knative, 1],
      [
        '1 object of kind argoproj.io/Rollout runs pods but was not checked',
        join(kinds, 'crd-workloads', 'rollout.yaml'),
        2,
      ],
    ]);
    expect(warnings[0]?.message).toContain('pass --well-known-kinds');
    expect(run.stderr).toMatch(/a-knative\.yaml:1:1: KIND_NOT_READ 3 objects/);

    const read = await runCli(['check', ...POLICY, '--well-known-kinds', '--format', 'json', knative]);
    expect(json(read.stdout).warnings.filter((w) => w.code === 'KIND_NOT_READ')).toEqual([]);
    expect(json(read.stdout).findings.length).toBeGreaterThan(0);
  });
});

describe("a namespaceSelector whose namespaces' labels are unknown", () => {
  const SELECTOR = ['--policy', fixture('labels', 'team-policy.yaml')];
  const pods = fixture('labels', 'pods.yaml');

  it('is a warning naming the policy and every namespace it could not judge, in every format', async () => {
    const table = await runCli(['check', ...SELECTOR, pods]);
    expect(table.code).toBe(0);
    expect(table.stderr).toMatch(
      /team-policy\.yaml:7:3: NAMESPACE_LABELS_UNKNOWN policy "payments" selects namespaces by label, but the labels of namespaces ledger, team-payments are unknown: it was not applied there\. .*--namespaces-file.*--labels; --strict-labels makes this an error/,
    );
    const report = json((await runCli(['check', ...SELECTOR, '--format', 'json', pods])).stdout);
    expect(report.warnings).toEqual([
      expect.objectContaining({
        code: 'NAMESPACE_LABELS_UNKNOWN',
        line: 7,
        file: expect.stringMatching(/team-policy/),
      }),
    ]);
    const sarif = JSON.parse((await runCli(['check', ...SELECTOR, '--format', 'sarif', pods])).stdout);
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toMatch(
      /^NAMESPACE_LABELS_UNKNOWN policy "payments"/,
    );
    const github = await runCli(['check', ...SELECTOR, '--format', 'github', pods]);
    expect(github.stdout).toMatch(
      /^::warning file=.*team-policy\.yaml,line=7,.*title=pullguard NAMESPACE_LABELS_UNKNOWN::policy "payments"/m,
    );
    const junit = await runCli(['check', ...SELECTOR, '--format', 'junit', pods]);
    expect(junit.stdout).toMatch(/<testsuite name="warnings"[^>]*skipped="1">/);
    expect(junit.stdout).toMatch(/<skipped message="NAMESPACE_LABELS_UNKNOWN policy &quot;payments&quot;/);
    const compact = await runCli(['check', ...SELECTOR, '--format', 'compact', pods]);
    expect(compact.stderr).toMatch(/NAMESPACE_LABELS_UNKNOWN policy "payments"/);
  });

  it('is an error with --strict-labels (exit 2)', async () => {
    const run = await runCli(['check', ...SELECTOR, '--strict-labels', '--format', 'json', pods]);
    expect(run.code).toBe(2);
    expect(json(run.stdout).errors.map((e) => e.code)).toEqual(['NAMESPACE_LABELS_UNKNOWN']);
  });

  it('is judged when the labels are known: a namespaces file, --labels, or Namespace objects in the input', async () => {
    const file = await runCli([
      'check',
      ...SELECTOR,
      '--strict-labels',
      '--namespaces-file',
      fixture('labels', 'namespaces.yaml'),
      '--format',
      'json',
      pods,
    ]);
    expect(json(file.stdout).warnings).toEqual([]);
    expect(json(file.stdout).findings.map((f) => `${f.namespace} ${f.rule}`)).toEqual([
      'team-payments require-digest',
    ]);
    expect(file.code).toBe(1);

    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: { name: api }\nspec: { containers: [{ name: api, image: "r.io/api:1" }] }\n';
    const labels = await runCli(
      ['check', ...SELECTOR, '--namespace', 'pay', '--labels', 'team=payments', '--format', 'json', '-'],
      { input: pod },
    );
    expect(json(labels.stdout).warnings).toEqual([]);
    expect(json(labels.stdout).findings.map((f) => `${f.namespace} ${f.rule}`)).toEqual([
      'pay require-digest',
    ]);

    const namespace =
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: pay, labels: { team: other } }\n---\n';
    const inline = await runCli(['check', ...SELECTOR, '--namespace', 'pay', '--format', 'json', '-'], {
      input: namespace + pod,
    });
    expect(json(inline.stdout)).toMatchObject({ warnings: [], findings: [] });
  });
});

describe('kustomizations and Helm charts', () => {
  const render = fixture('render');
  let tools: string;
  /** Fake `kubectl` and `helm`: print a Deployment that records the command line they were given. */
  beforeAll(async () => {
    tools = await mkdtemp(join(scratch, 'bin-'));
    const fake = (image: string) =>
      [
        '#!/bin/sh',
        'if [ -n "$FAIL" ]; then echo "Error: $FAIL" >&2; exit 1; fi',
        'cat <<EOF',
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: { name: rendered, annotations: { args: "$*" } }',
        `spec: { template: { spec: { containers: [{ name: app, image: "${image}" }] } } }`,
        'EOF',
        '',
      ].join('\n');
    for (const [tool, image] of [
      ['kubectl', 'kustomized:latest'],
      ['helm', 'charted:latest'],
    ] as const) {
      await writeFile(join(tools, tool), fake(image));
      await chmod(join(tools, tool), 0o755);
    }
  });
  const withTools = () => ({ PATH: `${tools}${delimiter}${process.env['PATH'] ?? ''}` });

  it('are not read as raw YAML: a warning shows the command that renders each, and nothing is checked', async () => {
    const run = await runCli(['check', ...POLICY, render]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'test/__fixtures__/render/chart/Chart.yaml:1:1: SOURCE_NOT_RENDERED test/__fixtures__/render/chart is a Helm chart (Chart.yaml): its files are not checked as raw YAML. Check what it renders: `helm template test/__fixtures__/render/chart | pullguard check -`, or pass --render',
    );
    expect(run.stderr).toContain(
      'SOURCE_NOT_RENDERED test/__fixtures__/render/kustomized is a kustomization (kustomization.yaml): its files are not checked as raw YAML. Check what it renders: `kubectl kustomize test/__fixtures__/render/kustomized | pullguard check -`, or pass --render',
    );
    expect(run.stderr).toMatch(/NO_WORKLOADS .*checked only when rendered/);
    expect(run.stderr).not.toMatch(/TEMPLATE_NOT_RENDERED|YAML_SYNTAX/);
  });

  it('are rendered with --render by kubectl kustomize and helm template found on PATH', async () => {
    const run = await runCli(
      ['check', ...POLICY, '--render', '--namespace', 'prod-a', '--format', 'json', render],
      {
        env: withTools(),
      },
    );
    expect(run.stderr).toBe('');
    const report = json(run.stdout);
    expect([...new Set(report.findings.map((f) => `${f.location.file} ${f.namespace}`))].sort()).toEqual([
      'helm template test/__fixtures__/render/chart --namespace prod-a prod-a',
      'kubectl kustomize test/__fixtures__/render/kustomized prod-a',
    ]);
    expect(report.findings.map((f) => f.rule)).toContain('disallow-latest');
    expect(run.code).toBe(1);
  });

  it('fail with exit 2 when the tool is missing or fails, saying which and why', async () => {
    const missing = await runCli(['check', ...POLICY, '--render', render], { env: { PATH: scratch } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /render\/kustomized\/kustomization\.yaml:1:1: SOURCE_NOT_RENDERED test\/__fixtures__\/render\/kustomized could not be rendered: --render needs `kubectl` on PATH/,
    );
    expect(missing.stderr).toMatch(/--render needs `helm` on PATH/);
    const failing = await runCli(['check', ...POLICY, '--render', fixture('render', 'chart')], {
      env: { ...withTools(), FAIL: 'chart.metadata.version is required' },
    });
    expect(failing.code).toBe(2);
    expect(failing.stderr).toContain(
      'could not be rendered: `helm template test/__fixtures__/render/chart` failed (exit 1):\nError: chart.metadata.version is required',
    );
  });
});
