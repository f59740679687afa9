/**
 * Deterministic synthetic corpora (seeded PRNG): workloads of sizes S/M/L, a `List` of 100, CronJob
 * nesting, image volumes, and the image forms that trip naive checks — registry ports, implicit
 * docker.io, `index.docker.io`, `localhost`, digests with and without tags, `latest`, untagged —
 * with missing, explicit and invalid pull policies.
 */
import { createRandom } from './prng.mjs';

const REGISTRY_NAMES = [
  // allowed by the bench policy
  ['registry.acme.io/', 'team-a/api'],
  ['registry.acme.io/', 'team-b/worker'],
  ['registry.acme.io:5000/', 'platform/gateway'],
  ['ghcr.io/acme/', 'tools/cli'],
  ['', 'nginx'], // implicit docker.io/library
  ['', 'library/redis'],
  ['docker.io/', 'library/postgres'],
  ['index.docker.io/', 'library/busybox'],
  ['registry.k8s.io/', 'pause'],
  // not allowed
  ['', 'bitnami/redis'], // implicit docker.io, not library
  ['docker.io/', 'acme/app'],
  ['registry.acme.io.evil.com/', 'team-a/api'], // prefix trick
  ['registry.acme.io:5001/', 'platform/gateway'], // other port
  ['ghcr.io/', 'acme-evil/tools'], // component boundary
  ['quay.io/', 'prometheus/node-exporter'],
  ['localhost:5000/', 'dev/app'],
  ['localhost/', 'dev/app'],
  ['gcr.io/', 'distroless/static'],
];

const TAGS = ['1.25', 'v2.3.1', '2024.11.0-alpine', 'stable', 'main-4f2a9c1', '3'];
const POLICIES = [undefined, undefined, 'Always', 'IfNotPresent', 'IfNotPresent', 'Never'];

function image(random) {
  const [registry, repository] = random.pick(REGISTRY_NAMES);
  const name = `${registry}${repository}`;
  const digest = `@sha256:${random.hex(64)}`;
  const form = random.int(100);
  if (form < 40) return `${name}${digest}`; // digest only
  if (form < 55) return `${name}:${random.pick(TAGS)}${digest}`; // tag + digest
  if (form < 80) return `${name}:${random.pick(TAGS)}`; // mutable tag
  if (form < 90) return `${name}:latest`;
  return name; // untagged
}

function container(random, name) {
  const c = { name, image: image(random) };
  const policy = random.chance(0.005) ? 'Sometimes' : random.pick(POLICIES);
  if (policy !== undefined) c.imagePullPolicy = policy;
  if (random.chance(0.3)) c.ports = [{ containerPort: 8080 + random.int(10), protocol: 'TCP' }];
  return c;
}

const SIZES = {
  S: { containers: 1, init: 0, env: 0, annotations: 0 },
  M: { containers: 2, init: 1, env: 8, annotations: 4 },
  L: { containers: 5, init: 2, env: 40, annotations: 20 },
};

function podSpec(random, size) {
  const s = SIZES[size];
  const spec = { containers: [] };
  for (let i = 0; i < s.containers; i++) {
    const c = container(random, `c${i}`);
    if (s.env) {
      c.env = Array.from({ length: s.env }, (_, j) => ({
        name: `VAR_${j}`,
        value: `value-${random.hex(12)}`,
      }));
      c.resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } };
    }
    spec.containers.push(c);
  }
  if (s.init) {
    spec.initContainers = Array.from({ length: s.init }, (_, i) => {
      const c = container(random, `init${i}`);
      if (i === 0 && random.chance(0.3)) c.restartPolicy = 'Always'; // native sidecar
      return c;
    });
  }
  if (size === 'L' && random.chance(0.2)) {
    const volume = { name: 'models', image: { reference: image(random) } };
    if (random.chance(0.5)) volume.image.pullPolicy = random.pick(['Always', 'IfNotPresent']);
    spec.volumes = [volume];
  }
  if (random.chance(0.2)) spec.imagePullSecrets = [{ name: 'acme-registry' }];
  return spec;
}

function metadata(random, name, namespace, size) {
  const m = { name, namespace, labels: { app: name, tier: random.pick(['web', 'api', 'batch']) } };
  const count = SIZES[size].annotations;
  if (count)
    m.annotations = Object.fromEntries(
      Array.from({ length: count }, (_, i) => [`acme.io/note-${i}`, random.hex(24)]),
    );
  return m;
}

function workload(random, index, namespace) {
  const size = random.pick(['S', 'S', 'M', 'M', 'M', 'L']);
  const name = `app-${index}`;
  const meta = metadata(random, name, namespace, size);
  const template = { metadata: { labels: { app: name } }, spec: podSpec(random, size) };
  const kind = random.pick([
    'Deployment',
    'Deployment',
    'Deployment',
    'StatefulSet',
    'DaemonSet',
    'Job',
    'CronJob',
    'Pod',
  ]);
  switch (kind) {
    case 'Pod':
      return { apiVersion: 'v1', kind, metadata: meta, spec: template.spec };
    case 'Job':
      return { apiVersion: 'batch/v1', kind, metadata: meta, spec: { template } };
    case 'CronJob':
      return {
        apiVersion: 'batch/v1',
        kind,
        metadata: meta,
        spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template } } },
      };
    default:
      return {
        apiVersion: 'apps/v1',
        kind,
        metadata: meta,
        spec: {
          ...(kind === 'DaemonSet' ? {} : { replicas: 1 + random.int(3) }),
          selector: { matchLabels: { app: name } },
          template,
        },
      };
  }
}

/**
 * `count` workloads (default 10,000) spread over `namespaces` namespaces (`team-0`…). The objects
 * are returned one by one (as admission sees them); `list` is the first 100 of them wrapped in a
 * `kind: List`, the shape `kubectl get -o yaml` produces.
 */
export function syntheticCorpus({ count = 10_000, namespaces = 100, seed = 0x5eed } = {}) {
  const random = createRandom(seed);
  const objects = [];
  for (let i = 0; i < count; i++) objects.push(workload(random, i, `team-${i % namespaces}`));
  const list = { apiVersion: 'v1', kind: 'List', metadata: {}, items: objects.slice(0, 100) };
  return { objects, list };
}
