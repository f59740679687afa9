/**
 * What runs pullguard in its namespace: the Namespace, a ServiceAccount that may read Namespaces
 * (and nothing else), the policies as a ConfigMap, the Deployment, its Service and its
 * PodDisruptionBudget. Typed with kubernetes-models' interfaces, so a misspelled field is a
 * compile error; the tests validate every object against the same models' schemas at run time.
 */
import { flagArgs, SERVER_FLAGS } from '@pullguard/server/flags';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { CONTAINER_PORT, labels, MOUNTS, NAMES, REQUEST_TIMEOUT, SELECTOR, SERVICE_PORT } from './layout.js';

export interface WorkloadOptions {
  namespace: string;
  replicas: number;
  image: string;
  version: string;
  /** ConfigMap keys → policy file texts. */
  policies: Readonly<Record<string, string>>;
  wellKnownKinds: boolean;
}

const meta = (name: string, o: WorkloadOptions) => ({
  name,
  namespace: o.namespace,
  labels: labels(o.version),
});

/**
 * The install's namespace, at the `restricted` Pod Security Standard: pullguard's Pod meets it,
 * and nothing less secure should run beside the component that decides what may run.
 */
export function namespace(o: WorkloadOptions): INamespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: o.namespace,
      labels: {
        ...labels(o.version),
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
      },
    },
  };
}

export function serviceAccount(o: WorkloadOptions): IServiceAccount {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(NAMES.serviceAccount, o) };
}

/**
 * `--watch-namespaces` lists and watches Namespaces and GETs one it has not seen yet
 * (docs/server.md "RBAC for --watch-namespaces"): exactly those verbs, on that resource.
 */
export function namespaceReader(o: WorkloadOptions): [IClusterRole, IClusterRoleBinding] {
  const metadata = { name: NAMES.namespaceReader, labels: labels(o.version) };
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata,
      rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NAMES.namespaceReader },
      subjects: [{ kind: 'ServiceAccount', name: NAMES.serviceAccount, namespace: o.namespace }],
    },
  ];
}

/**
 * The policies, mounted as files. The kubelet updates a mounted ConfigMap by swapping its `..data`
 * link, which the server watches for and reloads on (a set that does not load keeps the last good
 * one serving).
 */
export function policiesConfigMap(o: WorkloadOptions): IConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(NAMES.policies, o), data: { ...o.policies } };
}

/**
 * The server's command line, generated from its flag table (`@pullguard/server/flags`), so every
 * flag name and value here is one the server accepts.
 */
export function serverArgs(o: Pick<WorkloadOptions, 'wellKnownKinds'>): string[] {
  return flagArgs(SERVER_FLAGS, {
    policy: [MOUNTS.policies],
    host: '0.0.0.0',
    port: String(CONTAINER_PORT),
    tlsCert: `${MOUNTS.tls}/tls.crt`,
    tlsKey: `${MOUNTS.tls}/tls.key`,
    // The trusted source of namespace labels for namespaceSelector: the API, read with the
    // ServiceAccount (never labels a request could carry).
    watchNamespaces: true,
    requestTimeout: REQUEST_TIMEOUT,
    failureMode: 'closed',
    unknownLabels: 'deny',
    wellKnownKinds: o.wellKnownKinds,
  });
}

const probe = (path: string, periodSeconds: number, failureThreshold: number): IProbe => ({
  httpGet: { path, port: 'https', scheme: 'HTTPS' },
  periodSeconds,
  timeoutSeconds: 2,
  failureThreshold,
});

export function deployment(o: WorkloadOptions): IDeployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(NAMES.deployment, o),
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: SELECTOR },
      // A new Pod is ready before an old one goes: capacity never drops during an upgrade.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: labels(o.version) },
        spec: {
          serviceAccountName: NAMES.serviceAccount,
          // Spread over nodes (a hard rule: losing one node loses one replica at most) and over
          // zones where the cluster has them (soft: a single-zone cluster still schedules all).
          // matchLabelKeys counts only Pods of the same revision, so a rollout is spread too.
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'DoNotSchedule',
              labelSelector: { matchLabels: SELECTOR },
              matchLabelKeys: ['pod-template-hash'],
            },
            {
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: SELECTOR },
              matchLabelKeys: ['pod-template-hash'],
            },
          ],
          securityContext: {
            runAsNonRoot: true,
            // Numeric: the kubelet cannot verify runAsNonRoot for a named user (distroless `nonroot`).
            runAsUser: 65532,
            runAsGroup: 65532,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          // In-flight reviews finish (the server drains up to 10 s on SIGTERM) before the kill.
          terminationGracePeriodSeconds: 30,
          containers: [
            {
              name: 'pullguard',
              image: o.image,
              imagePullPolicy: 'IfNotPresent',
              args: ['serve', ...serverArgs(o)],
              ports: [{ name: 'https', containerPort: CONTAINER_PORT, protocol: 'TCP' }],
              env: [
                // docs/server.md "In a cluster": a smaller young generation, ~20 MB less resident.
                { name: 'NODE_OPTIONS', value: '--max-semi-space-size=4' },
              ],
              readinessProbe: probe('/readyz', 5, 2),
              livenessProbe: probe('/healthz', 10, 3),
              // The first policy load and namespace list may take a while on a large cluster.
              startupProbe: probe('/healthz', 2, 30),
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { cpu: '1', memory: '256Mi' },
              },
              securityContext: {
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMounts: [
                { name: 'policies', mountPath: MOUNTS.policies, readOnly: true },
                { name: 'tls', mountPath: MOUNTS.tls, readOnly: true },
                { name: 'tmp', mountPath: MOUNTS.tmp },
              ],
            },
          ],
          volumes: [
            { name: 'policies', configMap: { name: NAMES.policies } },
            { name: 'tls', secret: { secretName: NAMES.tlsSecret } },
            // The root filesystem is read-only; Node and plugin workers may still want a /tmp.
            { name: 'tmp', emptyDir: { sizeLimit: '16Mi' } },
          ],
        },
      },
    },
  };
}

export function service(o: WorkloadOptions): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(NAMES.service, o),
    spec: {
      selector: SELECTOR,
      ports: [{ name: 'https', port: SERVICE_PORT, targetPort: 'https', protocol: 'TCP' }],
    },
  };
}

/**
 * One Pod at a time may be evicted (node drains, cluster upgrades). `maxUnavailable` rather than
 * `minAvailable`: with one replica a `minAvailable: 1` budget would block every drain forever.
 */
export function disruptionBudget(o: WorkloadOptions): IPodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(NAMES.deployment, o),
    spec: { maxUnavailable: 1, selector: { matchLabels: SELECTOR } },
  };
}
