/**
 * What real repositories hold besides the workloads `synthetic.mjs` makes: cluster-scoped and
 * namespaced non-workload objects (the real corpus is 70 % Services, RBAC, CRDs, ConfigMaps…),
 * workloads without `metadata.namespace` (most of the real corpus) or without a pod template
 * (Kustomize `$patch: delete`) or named by `generateName`, a `kind: Namespace` with labels,
 * and images in the forms real manifests use: `_` in paths and tags, upper-case tags
 * (`RELEASE.2022-02-01T18-00-14Z`), `-` in registry hosts, and references that do not parse
 * (`ko://…`, `<your-image>`).
 *
 * Used to make the engine's code hot before a cold-cache measurement: a server that has run for a
 * while has met all of these, and V8 compiles code for the shapes and branches it has seen. Code
 * warmed on workloads only is deoptimized by the first Service or invalid reference, and the
 * "cold cache" figure then measures V8 meeting new code paths, not the cache. Every string is made
 * from the seed, so none of these images is in the real corpus (its cache entries stay cold).
 */
import { createRandom } from './prng.mjs';

function odd(random) {
  const id = random.hex(6);
  return random.pick([
    `gcr.io/acme_${id}/svc-frontend:v${random.int(9)}`,
    `quay.io/acme/${id}_worker:1.${random.int(9)}_${random.int(9)}`,
    `acme/store-${id}:RELEASE.2024-0${1 + random.int(8)}-1${random.int(9)}T18-00-14Z`,
    `docker.io/acme/tool-${id}:latest_release`,
    `ko://example.dev/${id}/cmd/controller`,
    `<your-image-${id}>`,
    `registry.k8s.io/${id}:1.5.2_v1`,
    `mirror-${id}.example-corp.io:8443/team/app:2.${random.int(9)}`,
  ]);
}

function labels(random, name) {
  return { app: name, 'app.kubernetes.io/part-of': `suite-${random.hex(4)}` };
}

function nonWorkload(random, i, namespace) {
  const name = `obj-${i}-${random.hex(4)}`;
  const meta = namespace === undefined ? { name, labels: labels(random, name) } : { name, namespace };
  switch (random.int(9)) {
    case 0:
      return {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta,
        spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
      };
    case 1:
      return {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: meta,
        data: { 'config.yaml': `key: ${random.hex(16)}` },
      };
    case 2:
      return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta };
    case 3:
      return {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
      };
    case 4:
      return {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: meta,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [{ kind: 'ServiceAccount', name, namespace: namespace ?? 'default' }],
      };
    case 5:
      return {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `${name}s.example.dev` },
        spec: {
          group: 'example.dev',
          names: { kind: 'Widget', plural: `${name}s` },
          scope: 'Namespaced',
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } },
            },
          ],
        },
      };
    case 6:
      return {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta,
        spec: { podSelector: {}, policyTypes: ['Ingress'] },
      };
    case 7:
      return {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: meta,
        type: 'Opaque',
        data: { token: random.hex(24) },
      };
    default:
      return {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: `ns-${random.hex(6)}`, labels: { team: random.pick(['payments', 'search']) } },
      };
  }
}

function workload(random, i, namespace) {
  const name = `mixed-${i}`;
  const container = { name: 'main', image: odd(random) };
  if (random.chance(0.5)) container.imagePullPolicy = random.pick(['Always', 'IfNotPresent']);
  const metadata = namespace === undefined ? { name, labels: labels(random, name) } : { name, namespace };
  // A Kustomize patch that deletes a workload: no pod template, no images.
  if (random.chance(0.1)) return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, $patch: 'delete' };
  if (random.chance(0.1)) {
    // A Job named by the API server (`kubectl create`): generateName instead of name.
    const job = { generateName: `${name}-`, ...(namespace === undefined ? {} : { namespace }) };
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: job,
      spec: { template: { spec: { containers: [container], restartPolicy: 'Never' } } },
    };
  }
  return {
    apiVersion: random.pick(['apps/v1', 'extensions/v1beta1']),
    kind: random.pick(['Deployment', 'DaemonSet']),
    metadata,
    spec: { template: { metadata: { labels: { app: name } }, spec: { containers: [container] } } },
  };
}

/** `count` objects: 70 % non-workloads, the rest workloads with the odd image forms; most without a namespace. */
export function companionObjects({ count = 400, seed = 0xc0ffee, namespace = 'warm-mixed' } = {}) {
  const random = createRandom(seed);
  const objects = [];
  for (let i = 0; i < count; i++) {
    const ns = random.chance(0.3) ? namespace : undefined;
    objects.push(random.chance(0.7) ? nonWorkload(random, i, ns) : workload(random, i, ns));
  }
  return objects;
}
