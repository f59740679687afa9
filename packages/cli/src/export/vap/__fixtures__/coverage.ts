/**
 * Policies that use every exportable rule with non-default options, every pattern form
 * (exact, prefix, globs with literal and wildcard hosts and ports, `**`), every action, globs and
 * excludes, a label selector with each operator, `extends`, exemptions by image, namespace and
 * workload (one active, one expired), JSON Logic expressions; namespaces of every shape against
 * them; and generated workloads of every kind.
 */
import fc from 'fast-check';
import type { Namespace } from './api-server.js';
import { imageString } from './image-arbitrary.js';

const policy = (name: string, spec: string) =>
  `apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata:\n  name: ${name}\nspec:\n${spec.trim().replace(/^/gm, '  ')}\n`;

export const COVERAGE_POLICIES = [
  policy(
    'apps',
    `
namespaces: ["team-*", apps, "q?"]
excludeNamespaces: ["team-x*"]
action: deny
rules:
  - rule: require-digest
    with: { allowTag: false }
  - rule: disallow-latest
    action: warn
    with: { allowDigestPinned: false }
  - rule: allowed-pull-policies
    action: audit
    with: { policies: [Always, IfNotPresent] }
  - rule: allowed-registries
    action: warn
    with:
      registries:
        - registry.acme.io/
        - ghcr.io/acme/
        - docker.io/library/
        - "*.acme.io:5000/"
        - "localhost:*/"
        - "**/approved/*"
        - "eu.acme.io/team-*/app"
        - "[::1]:5000/"
        - "*/tools/**"
        - "reg*:5000/x"
        - foo_bar.com/
  - rule: denied-registries
    with:
      registries: [registry.untrusted.example/, docker.io/cryptominer/, nginx, "*.evil.example/", "registry.acme.io:443/blocked/", "registry-1.docker.io/mallory/", "*.docker.io/mallory-*", "**/xmrig"]
  - rule: allowed-tags
    action: audit
    with: { pattern: 'v?[0-9]+\\.[0-9]+(\\.[0-9]+)?(-[a-z0-9]+)?', allowDigestOnly: false }
  - rule: restrict-never
    with: { images: [registry.acme.io/preloaded/, pause, "*.acme.io/cache/**"] }
  - rule: private-images
    with: { registries: [vault.payments.acme.io/, "registry.acme.io:0443/private/", "myreg:443/", "Docker.IO/acme-private/", "**/secrets/*"], sharedNodes: true }
  - rule: invalid-image
    action: warn
  - rule: mutable-tags-require-always
    action: audit
  - rule: expression
    id: no-debug-images
    message: "{{image.familiar}} ({{container.type}}) in {{namespace.name}} is a debugging image"
    when:
      and:
        - in: [{ var: image.name }, ["docker.io/library/busybox", "docker.io/library/alpine", null]]
        - "!=": [{ var: container.type }, ephemeral]
  - rule: expression
    id: owner-label
    action: warn
    when:
      if:
        - { "==": [{ var: workload.labels.owner }, null] }
        - { "!": { var: image.digest } }
        - { "===": [{ var: "workload.labels.owner" }, "nobody"] }
  - rule: expression
    id: tag-contains-rc
    action: audit
    when: { or: [{ in: [rc, { var: image.tag }] }, { "==": [{ var: pullPolicy.effective }, Never] }, { "!!": { var: image.valid } }] }
exemptions:
  - rules: [require-digest, allowed-registries]
    images: ["registry.acme.io/legacy/", "**/exempt"]
    expires: "2099-01-01"
  - rules: [require-digest]
    workloads: ["CronJob/report-*", "*/legacy"]
    namespaces: ["team-*"]
  - rules: [denied-registries, invalid-image]
    images: ["*.evil.example/ok/*", "BAD/**"]
    namespaces: [apps]
  - rules: [private-images]
    namespaces: ["team-b"]
    expires: "2020-01-01"
`,
  ),
  policy('base', `namespaces: []\nrules:\n  - rule: disallow-latest\n  - rule: invalid-image\n    action: audit`),
  policy(
    'selected',
    `
namespaceSelector:
  matchLabels: { tier: prod }
  matchExpressions:
    - { key: env, operator: NotIn, values: [dev, test] }
    - { key: team, operator: Exists }
    - { key: legacy, operator: DoesNotExist }
    - { key: region, operator: In, values: [eu, us] }
extends: [base]
action: deny
rules:
  - rule: require-digest
  - rule: expression
    id: team-registry
    when: { "!": { in: [{ var: namespace.labels.team }, { var: image.path }] } }
  - rule: expression
    id: path-before-m
    action: warn
    when: { "<": [{ var: image.path }, "m"] }
exemptions:
  - rules: [require-digest]
    images: ["*.acme.io/team-*/app", "**"]
    workloads: ["Deployment/allowed"]
`,
  ),
  policy(
    'cluster-wide',
    `
namespaces: ["*"]
excludeNamespaces: [kube-system]
action: warn
rules:
  - rule: disallow-latest
  - rule: denied-registries
    action: deny
    with: { registries: ["docker.io:443/", "index.docker.io/evil/", "*.miner.example:443/", "registry.acme.io:05000/", "*.acme.io:0*/x"] }
`,
  ),
];

const ns = (name: string, labels: Record<string, string> = {}): Namespace => ({
  name,
  labels: { ...labels, 'kubernetes.io/metadata.name': name },
});

export const NAMESPACES: readonly Namespace[] = [
  ns('apps'),
  ns('team-a', { team: 'a' }),
  ns('team-b', { tier: 'prod', team: 'b', region: 'eu' }),
  ns('team-x1'),
  ns('q1'),
  ns('default'),
  ns('kube-system'),
  ns('prod-a', { tier: 'prod', team: 'payments', region: 'us' }),
  ns('prod-b', { tier: 'prod', team: 'payments', region: 'us', env: 'dev' }),
  ns('prod-c', { tier: 'prod', team: 'payments', region: 'ap' }),
  ns('prod-legacy', { tier: 'prod', team: 'payments', region: 'eu', legacy: 'yes' }),
  ns('prod-sandbox', { team: 'payments' }),
  ns('dev-x', { env: 'dev' }),
  ns('team-payments', { team: 'payments' }),
];

/** Images the coverage policies care about, mixed with the generated ones. */
const relevantImage = fc.constantFrom(
  'registry.acme.io/app:1.0',
  'registry.acme.io/legacy/app:1',
  'registry.acme.io/private/db:v1@sha256:' + 'b'.repeat(64),
  'registry.acme.io/preloaded/pause:3.9',
  'registry.acme.io:443/blocked/x',
  'registry.acme.io/blocked/x:v1',
  'vault.payments.acme.io/payments/api:v2',
  'eu.acme.io:5000/anything/here',
  'eu.acme.io/team-a/app:v1',
  'eu.acme.io/team-a/other',
  'cache.acme.io/cache/a/b',
  'x.evil.example/ok/thing',
  'x.evil.example/bad',
  'X.EVIL.example/ok/Thing',
  'BAD/Thing',
  'bad/thing:1',
  'docker.io:443/library/nginx',
  'index.docker.io:443/cryptominer/x',
  'registry-1.docker.io/mallory/tool',
  'registry-1.docker.io/nginx:1.25',
  'a.miner.example:443/x',
  'localhost:5000/app:v1',
  'localhost/app',
  '[::1]:5000/app:v1.2',
  '[::1]/app',
  'ghcr.io/acme/approved/app:1',
  'quay.io/approved/x:2',
  'reg1:5000/x',
  'regz:5000/x',
  'foo_bar.com/x:1',
  'ghcr.io/tools/a/b/c',
  'busybox',
  'alpine:3.20',
  'nginx',
  'nginx:latest',
  'nginx:1.25-rc1@sha256:' + 'c'.repeat(64),
  'pause',
  'pause:3.9',
  'k8s.gcr.io/app/exempt',
  'payments/api:v1',
  'docker.io/b/payments-ui:1',
  'Docker.IO/nginx',
  'DOCKER.IO:0443/cryptominer/x',
  'registry-1.docker.io/mallory-x',
  'index.docker.io/library/xmrig:6',
  'quay.io/a/xmrig',
  'registry.acme.io:0443/private/db:v1',
  'registry.acme.io:005000/x:1',
  'eu.acme.io:0/x',
  'myreg/x:1',
  'MYREG:443/x:1',
  'myreg:0443/x',
  'registry.hub.docker.com/acme-private/app:2',
  'ghcr.io/secrets/key:1',
);

const image = fc.oneof({ weight: 3, arbitrary: relevantImage }, { weight: 2, arbitrary: imageString });
const pullPolicy = fc.option(fc.constantFrom('Always', 'IfNotPresent', 'Never'), { nil: undefined });
const name = fc.constantFrom('web', 'legacy', 'allowed', 'report-daily', 'api', 'x');

const container = fc.record(
  { name, image, imagePullPolicy: pullPolicy, restartPolicy: fc.option(fc.constantFrom('Always', 'OnFailure'), { nil: undefined }) },
  { requiredKeys: ['name', 'image'] },
);

const podSpec = fc
  .record({
    containers: fc.array(container, { minLength: 1, maxLength: 3 }),
    initContainers: fc.array(container, { maxLength: 2 }),
    ephemeralContainers: fc.array(container.map(({ restartPolicy: _r, ...c }) => c), { maxLength: 1 }),
    volumes: fc.array(
      fc.oneof(
        fc.record({ name, image: fc.record({ reference: image, pullPolicy }, { requiredKeys: ['reference'] }) }),
        fc.record({ name, emptyDir: fc.constant({}) }),
      ),
      { maxLength: 2 },
    ),
    imagePullSecrets: fc.array(fc.record({ name: fc.constantFrom('regcred', '') }), { maxLength: 2 }),
  })
  .map((spec) => {
    const out: Record<string, unknown> = { containers: spec.containers };
    if (spec.initContainers.length > 0) out['initContainers'] = spec.initContainers;
    if (spec.ephemeralContainers.length > 0) out['ephemeralContainers'] = spec.ephemeralContainers;
    if (spec.volumes.length > 0) out['volumes'] = spec.volumes;
    if (spec.imagePullSecrets.length > 0) out['imagePullSecrets'] = spec.imagePullSecrets;
    return out;
  });

const API_VERSIONS: Readonly<Record<string, string>> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
};

const template = (spec: Record<string, unknown>) => ({ metadata: { labels: { app: 'x' } }, spec });

/** A workload of any kind the engine reads, with its pod spec where that kind keeps it. */
export const workload = fc
  .record({
    kind: fc.constantFrom('Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController', 'PodTemplate'),
    name,
    owner: fc.option(fc.constantFrom('team-a', 'nobody'), { nil: undefined }),
    spec: podSpec,
  })
  .map(({ kind, name: n, owner, spec }) => {
    const apiVersion = API_VERSIONS[kind] ?? 'v1';
    const metadata = { name: n, ...(owner ? { labels: { owner } } : {}) };
    const body =
      kind === 'Pod'
        ? { spec }
        : kind === 'PodTemplate'
          ? { template: template(spec) }
          : kind === 'CronJob'
            ? { spec: { schedule: '@daily', jobTemplate: { spec: { template: template(spec) } } } }
            : { spec: { template: template(spec) } };
    return { apiVersion, kind, metadata, ...body } as Record<string, unknown>;
  });
