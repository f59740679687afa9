/**
 * `pullguard export deploy`, as `kubectl apply` would receive it: every object valid against the
 * Kubernetes schemas (kubernetes-models 5) and cert-manager's CRD schemas
 * (@kubernetes-models/cert-manager, generated from cert-manager's published CRDs), the objects
 * agreeing with each other (names, ports, paths, timeouts), and the Deployment's exact arguments
 * and mounted files running a real server that the API server could call: TLS verified with the
 * webhooks' caBundle, namespace labels from a stand-in API server, an AdmissionReview answered.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { Issuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer';
import { loadPolicies } from '@pullguard/engine';
import { loadServerConfig, type RunningServer, startServer } from '@pullguard/server';
import { parseFlagArgs, SERVER_FLAGS } from '@pullguard/server/flags';
import { MutatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1/MutatingWebhookConfiguration';
import { ValidatingAdmissionPolicy } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy';
import { ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding';
import { ValidatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { FakeKubeApiServer } from '../../server/test/support/fake-kube-apiserver.js';
import { CLI_DIR, podReview, REPO_ROOT, runCli } from './helpers.js';

vi.setConfig({ testTimeout: 60_000 });

const run = promisify(execFile);
const POLICIES = join(REPO_ROOT, 'examples', 'policies');

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes objects read back from YAML, checked by their schemas
type Obj = any;

/** kind → the model whose `validate()` holds an object to its published schema. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  Namespace,
  ServiceAccount,
  ClusterRole,
  ClusterRoleBinding,
  ConfigMap,
  Secret,
  Service,
  Deployment,
  PodDisruptionBudget,
  ValidatingWebhookConfiguration,
  MutatingWebhookConfiguration,
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
  Issuer,
  Certificate,
};

const objectsOf = (yaml: string): Obj[] =>
  parseAllDocuments(yaml)
    .map((d) => d.toJS())
    .filter((o) => o !== null);

async function exportDeploy(...args: string[]) {
  const result = await runCli(['export', 'deploy', ...args], { cwd: REPO_ROOT });
  return { ...result, objects: objectsOf(result.stdout) };
}

function one(objects: Obj[], kind: string, name?: string): Obj {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  expect(found, `${kind} ${name ?? ''}`).toHaveLength(1);
  return found[0];
}

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'pullguard-deploy-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('pullguard export deploy (cert-manager, the default)', async () => {
  const { code, stderr, objects } = await exportDeploy('--policy', POLICIES, '--namespace', 'guard');

  it('prints, in apply order, objects that each pass their schema', () => {
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/guard',
      'Issuer/pullguard-selfsigned',
      'Certificate/pullguard-ca',
      'Issuer/pullguard-ca',
      'Certificate/pullguard-tls',
      'ServiceAccount/pullguard',
      'ClusterRole/pullguard-namespace-reader',
      'ClusterRoleBinding/pullguard-namespace-reader',
      'ConfigMap/pullguard-policies',
      'Service/pullguard',
      'Deployment/pullguard',
      'PodDisruptionBudget/pullguard',
      'ValidatingWebhookConfiguration/pullguard',
      'MutatingWebhookConfiguration/pullguard',
    ]);
    for (const object of objects) {
      const Model = MODELS[object.kind];
      expect(Model, object.kind).toBeDefined();
      expect(
        () => new Model!(object as never).validate(),
        `${object.kind} ${object.metadata.name}`,
      ).not.toThrow();
    }
  });

  it('validates with schemas that refuse what the API server refuses', () => {
    const webhooks = structuredClone(one(objects, 'ValidatingWebhookConfiguration'));
    webhooks.webhooks[0].sideEffects = 'Maybe';
    expect(() => new ValidatingWebhookConfiguration(webhooks).validate()).toThrow(/sideEffects/);
    const certificate = structuredClone(one(objects, 'Certificate', 'pullguard-tls'));
    certificate.spec.privateKey.algorithm = 'DSA';
    expect(() => new Certificate(certificate).validate()).toThrow(/algorithm/);
  });

  it('registers both webhooks safely: v1 reviews, no side effects, fail closed, short timeouts, system namespaces out', () => {
    for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']) {
      const configuration = one(objects, kind);
      expect(configuration.metadata.annotations).toEqual({
        'cert-manager.io/inject-ca-from': 'guard/pullguard-tls',
      });
      for (const webhook of configuration.webhooks) {
        expect(webhook).toMatchObject({
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          failurePolicy: 'Fail',
          matchPolicy: 'Equivalent',
          clientConfig: { service: { namespace: 'guard', name: 'pullguard', port: 443 } },
        });
        expect(webhook.timeoutSeconds).toBeLessThanOrEqual(10);
        expect(webhook.objectSelector).toBeUndefined();
        expect(webhook.namespaceSelector).toEqual({
          matchExpressions: [
            {
              key: 'kubernetes.io/metadata.name',
              operator: 'NotIn',
              values: ['kube-system', 'kube-node-lease', 'kube-public', 'guard'],
            },
          ],
        });
      }
    }
  });

  it('validates Pods, ephemeral containers and every workload controller; mutates Pods only, reinvoked', () => {
    const validate = one(objects, 'ValidatingWebhookConfiguration').webhooks[0];
    expect(validate.clientConfig.service.path).toBe('/v1/admission/validate');
    const resources = validate.rules.flatMap((r: Obj) =>
      r.resources.map((resource: string) => `${r.apiGroups[0]}/${resource}`),
    );
    expect(resources).toEqual(
      expect.arrayContaining([
        '/pods',
        '/pods/ephemeralcontainers',
        '/replicationcontrollers',
        'apps/deployments',
        'apps/statefulsets',
        'apps/daemonsets',
        'apps/replicasets',
        'batch/jobs',
        'batch/cronjobs',
      ]),
    );
    for (const rule of validate.rules) expect(rule.operations).toEqual(['CREATE', 'UPDATE']);
    const mutate = one(objects, 'MutatingWebhookConfiguration').webhooks[0];
    expect(mutate.clientConfig.service.path).toBe('/v1/admission/mutate');
    expect(mutate.reinvocationPolicy).toBe('IfNeeded');
    expect(mutate.rules.map((r: Obj) => [r.apiGroups, r.resources, r.operations])).toEqual([
      [[''], ['pods'], ['CREATE']],
      [[''], ['pods/ephemeralcontainers'], ['UPDATE']],
    ]);
  });

  it('runs 3 hardened replicas spread over nodes and zones, probed, with requests and limits', () => {
    const deployment = one(objects, 'Deployment');
    expect(deployment.spec.replicas).toBe(3);
    const pod = deployment.spec.template.spec;
    expect(pod.topologySpreadConstraints.map((t: Obj) => t.topologyKey)).toEqual([
      'kubernetes.io/hostname',
      'topology.kubernetes.io/zone',
    ]);
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const [container] = pod.containers;
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'https', scheme: 'HTTPS' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'https', scheme: 'HTTPS' });
    expect(Object.keys(container.resources)).toEqual(['requests', 'limits']);
    expect(container.image).toBe('ghcr.io/pullguard/pullguard:0.1.0');
    const budget = one(objects, 'PodDisruptionBudget');
    expect(budget.spec).toEqual({ maxUnavailable: 1, selector: deployment.spec.selector });
  });

  it("gives the server arguments it accepts: its request deadline below the webhooks' timeout, labels from the API", () => {
    const [container] = one(objects, 'Deployment').spec.template.spec.containers;
    expect(container.args[0]).toBe('serve');
    const flags = parseFlagArgs(SERVER_FLAGS, container.args.slice(1));
    const timeouts = ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'].map(
      (kind) => one(objects, kind).webhooks[0].timeoutSeconds,
    );
    expect(flags.requestTimeout).toBeLessThan(Math.min(...timeouts) * 1000);
    expect(flags).toMatchObject({
      watchNamespaces: true,
      failureMode: 'closed',
      host: '0.0.0.0',
      port: 8443,
    });
    expect(container.ports).toEqual([{ name: 'https', containerPort: flags.port, protocol: 'TCP' }]);
  });

  it('wires the objects together: mounts, Service, Certificate, RBAC', () => {
    const deployment = one(objects, 'Deployment');
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    const flags = parseFlagArgs(SERVER_FLAGS, container.args.slice(1));
    const mountOf = (volume: string) =>
      container.volumeMounts.find((m: Obj) => m.name === volume).mountPath as string;
    const volume = (name: string) => pod.volumes.find((v: Obj) => v.name === name);
    expect(flags.policy).toEqual([mountOf('policies')]);
    expect(volume('policies').configMap.name).toBe(one(objects, 'ConfigMap').metadata.name);
    expect(flags.tlsCert).toBe(`${mountOf('tls')}/tls.crt`);
    const serving = one(objects, 'Certificate', 'pullguard-tls');
    expect(volume('tls').secret.secretName).toBe(serving.spec.secretName);
    expect(serving.spec.dnsNames).toContain('pullguard.guard.svc');
    expect(serving.spec.issuerRef.name).toBe(one(objects, 'Issuer', 'pullguard-ca').metadata.name);
    expect(one(objects, 'Issuer', 'pullguard-ca').spec.ca.secretName).toBe(
      one(objects, 'Certificate', 'pullguard-ca').spec.secretName,
    );
    const svc = one(objects, 'Service');
    expect(svc.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(svc.spec.ports).toEqual([{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }]);
    expect(pod.serviceAccountName).toBe(one(objects, 'ServiceAccount').metadata.name);
    expect(one(objects, 'ClusterRole').rules).toEqual([
      { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] },
    ]);
    expect(one(objects, 'ClusterRoleBinding').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'pullguard', namespace: 'guard' },
    ]);
  });

  it('carries the policy files unchanged, loading as the same policies in the same order', async () => {
    const data = one(objects, 'ConfigMap').data as Record<string, string>;
    const dir = scratch();
    for (const [key, text] of Object.entries(data)) writeFileSync(join(dir, key), text);
    const mounted = await loadPolicies([dir]);
    const original = await loadPolicies([POLICIES]);
    expect(mounted.map((p) => p.name)).toEqual(original.map((p) => p.name));
    expect(Object.keys(data)).toEqual([
      '00-baseline.yaml',
      '01-development.yaml',
      '02-production.yaml',
      '03-tenant-payments.yaml',
    ]);
  });
});

/** The kubelet's layout of a mounted ConfigMap or Secret: `..data` → a timestamped dir, each key a link. */
function mount(dir: string, data: Record<string, string>): void {
  const stamped = join(dir, '..2026_06_01_12_00_00.000000000');
  mkdirSync(stamped, { recursive: true });
  for (const [key, text] of Object.entries(data)) writeFileSync(join(stamped, key), text);
  symlinkSync(stamped, join(dir, '..data'));
  for (const key of Object.keys(data)) symlinkSync(join('..data', key), join(dir, key));
}

describe('pullguard export deploy --self-signed', async () => {
  const { code, stderr, objects } = await exportDeploy(
    '--policy',
    POLICIES,
    '--self-signed',
    '--now',
    '2026-06-01',
  );
  const secret = one(objects, 'Secret', 'pullguard-tls');
  const decoded = (key: string) => Buffer.from(secret.data[key], 'base64').toString('utf8');

  it('puts a CA and a serving certificate in a Secret, the CA in both caBundles, and says when it expires', () => {
    expect(code).toBe(0);
    expect(stderr).toMatch(/note: --self-signed: the serving certificate expires 2027-06-01T00:00:00.000Z/);
    expect(objects.some((o) => o.apiVersion === 'cert-manager.io/v1')).toBe(false);
    expect(secret.type).toBe('kubernetes.io/tls');
    const ca = new X509Certificate(decoded('ca.crt'));
    const serving = new X509Certificate(decoded('tls.crt'));
    expect(serving.verify(ca.publicKey)).toBe(true);
    expect(serving.checkHost('pullguard.pullguard-system.svc', { subject: 'never' })).toBe(
      'pullguard.pullguard-system.svc',
    );
    for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']) {
      const configuration = one(objects, kind);
      expect(configuration.metadata.annotations).toBeUndefined();
      expect(Buffer.from(configuration.webhooks[0].clientConfig.caBundle, 'base64').toString()).toBe(
        decoded('ca.crt'),
      );
    }
    for (const object of objects)
      expect(() => new MODELS[object.kind]!(object as never).validate()).not.toThrow();
  });

  it("runs a server from the Deployment's own arguments and mounts that the API server can call", async () => {
    const dir = scratch();
    const container = one(objects, 'Deployment').spec.template.spec.containers[0];
    const mounts = Object.fromEntries(
      container.volumeMounts.map((m: Obj) => [m.mountPath, join(dir, m.name)] as const),
    ) as Record<string, string>;
    mount(mounts['/etc/pullguard/policies']!, one(objects, 'ConfigMap').data);
    mount(
      mounts['/etc/pullguard/tls']!,
      Object.fromEntries(Object.keys(secret.data).map((key) => [key, decoded(key)])),
    );
    const api = new FakeKubeApiServer();
    await api.start();
    api.set('prod-a', {});
    const kubeconfig = join(dir, 'kubeconfig');
    api.writeKubeconfig(kubeconfig);
    // The container's arguments with its paths mapped to the test's directories, and the two
    // things a test must change: a free local port, and the cluster reached through a kubeconfig.
    const args = (container.args.slice(1) as string[]).map((arg) => {
      const mounted = Object.keys(mounts).find((path) => arg === path || arg.startsWith(`${path}/`));
      return mounted === undefined ? arg : `${mounts[mounted]}${arg.slice(mounted.length)}`;
    });
    const at = (flag: string) => args.indexOf(flag) + 1;
    args[at('--port')] = '0';
    args[at('--host')] = '127.0.0.1';
    let server: RunningServer | undefined;
    try {
      server = await startServer(
        loadServerConfig([...args, '--kubeconfig', kubeconfig, '--log-level', 'silent']),
      );
      const port = new URL(server.url).port;
      const call = (path: string, body?: unknown) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = request(
            {
              host: '127.0.0.1',
              port,
              path,
              method: body === undefined ? 'GET' : 'POST',
              // What the API server does: verify against caBundle, for the Service's DNS name.
              ca: decoded('ca.crt'),
              servername: 'pullguard.pullguard-system.svc',
              headers: { 'Content-Type': 'application/json' },
            },
            (res) => {
              let text = '';
              res.setEncoding('utf8').on('data', (d: string) => {
                text += d;
              });
              res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
            },
          );
          req.on('error', reject);
          req.end(body === undefined ? undefined : JSON.stringify(body));
        });
      let ready = await call('/readyz');
      for (let i = 0; i < 100 && ready.status !== 200; i++) {
        await new Promise((done) => setTimeout(done, 50));
        ready = await call('/readyz');
      }
      expect(ready.status).toBe(200);
      const answer = await call('/v1/admission/validate', podReview('prod-a', 'nginx:1.27'));
      expect(answer.status).toBe(200);
      const response = JSON.parse(answer.body).response;
      expect(response.allowed).toBe(false);
      expect(response.status.message).toContain('require-digest');
    } finally {
      await server?.close();
      await api.close();
    }
  });
});

describe('pullguard export deploy options', () => {
  it('--with-vap adds the static rules as ValidatingAdmissionPolicies, saying what it left out', async () => {
    const { code, stderr, objects } = await exportDeploy(
      '--policy',
      POLICIES,
      '--with-vap',
      '--now',
      '2026-06-01',
    );
    expect(code).toBe(0);
    expect(objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy').length).toBeGreaterThan(2);
    expect(objects.at(-1).kind).toBe('ValidatingAdmissionPolicyBinding');
    expect(stderr).toContain('not exported: production/mutable-tags-require-always');
    for (const object of objects)
      expect(() => new MODELS[object.kind]!(object as never).validate()).not.toThrow();
  });

  it('takes --replicas, --image and --well-known-kinds (args and webhook rules follow)', async () => {
    const { objects } = await exportDeploy(
      '--policy',
      POLICIES,
      '--replicas',
      '5',
      '--image',
      'registry.acme.io/pullguard@sha256:' + 'a'.repeat(64),
      '--well-known-kinds',
    );
    const deployment = one(objects, 'Deployment');
    expect(deployment.spec.replicas).toBe(5);
    expect(deployment.spec.template.spec.containers[0].image).toMatch(
      /^registry\.acme\.io\/pullguard@sha256:a{64}$/,
    );
    expect(deployment.spec.template.spec.containers[0].args).toContain('--well-known-kinds');
    const groups = one(objects, 'ValidatingWebhookConfiguration').webhooks[0].rules.map(
      (r: Obj) => r.apiGroups[0],
    );
    expect(groups).toEqual(expect.arrayContaining(['serving.knative.dev', 'argoproj.io', 'apps.kruise.io']));
  });

  it.each([
    [['--namespace', 'Kube_System'], /--namespace must be a DNS-1123 label/],
    [['--replicas', '0'], /--replicas.*must be an integer from 1 to 100/],
    [['--self-signed', '--cert-manager'], /cannot be used with/],
    [['--image', 'nginx:no good'], /--image:/],
    [
      ['--plugin', join(REPO_ROOT, 'examples', 'plugins', 'team-registry.js')],
      /plugins are code the image must carry/,
    ],
    [['--policy', join(REPO_ROOT, 'README.md')], /POLICY/],
  ])('refuses %j with exit 2 and prints nothing', async (args, message) => {
    const result = await exportDeploy(
      ...(args.includes('--policy') ? args : ['--policy', POLICIES, ...args]),
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });
});

describe('deploy/', () => {
  it('is what the binary prints now (scripts/render-deploy.mjs --check)', async () => {
    const check = await run(process.execPath, [join(CLI_DIR, 'scripts', 'render-deploy.mjs'), '--check'], {
      cwd: REPO_ROOT,
    }).catch((error: { stdout: string; stderr: string }) => error);
    expect(check.stderr).toBe('');
    expect(check.stdout).toBe('deploy/: up to date\n');
  });
});
