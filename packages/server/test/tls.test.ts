import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadServerConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { type RunningServer, startServer } from '../src/server.js';
import { eventually } from './support/eventually.js';
import { review } from './support/fixtures.js';

// Real servers and processes on a shared machine: a generous bound (no test waits for it).
vi.setConfig({ testTimeout: 60_000 });

// Real TLS: certificates made with openssl, the server over HTTPS, clients on new connections.

const POLICY =
  'apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata:\n  name: tenant\nspec:\n  namespaceSelector: { matchLabels: { team: payments } }\n  rules:\n    - rule: require-digest\n';

let dir: string;
let server: RunningServer | undefined;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A self-signed certificate `name.crt` and its key `name.key`. */
function selfSigned(name: string, subject: string, ...extra: string[]): void {
  openssl(
    'req',
    '-x509',
    ...EC_KEY,
    '-days',
    '1',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-subj',
    subject,
    ...extra,
  );
}

/** A self-signed serving certificate for 127.0.0.1 (a different one each call). */
function servingCertificate(name: string): void {
  selfSigned(name, '/CN=pullguard.test', '-addext', 'subjectAltName=IP:127.0.0.1');
}

/** A CA, and a client certificate it issued (the API server's, as its AdmissionConfiguration names it). */
function clientCertificate(ca: string, client: string): void {
  selfSigned(ca, `/CN=${ca}`);
  openssl(
    'req',
    ...EC_KEY,
    '-keyout',
    `${client}.key`,
    '-out',
    `${client}.csr`,
    '-subj',
    '/CN=kube-apiserver',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    `${client}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-out',
    `${client}.crt`,
    '-days',
    '1',
  );
}

function fingerprint(file: string): string {
  return new X509Certificate(readFileSync(join(dir, file))).fingerprint256;
}

/** The certificate a new connection is served. */
function served(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => {
      resolve(socket.getPeerX509Certificate()!.fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });
}

async function serve(args: string[]): Promise<RunningServer> {
  const config = loadServerConfig(['--policy', 'policy.yaml', '--port', '0', ...args], {}, dir);
  server = await startServer(
    { ...config, watchDebounceMs: 20, watchIntervalMs: 0 },
    { logger: silentLogger() },
  );
  return server;
}

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON answers
type Json = any;

/** POSTs JSON on a new connection, with a client certificate when `client` names one. */
function post(url: string, body: unknown, client?: string): Promise<{ status: number; body: Json }> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: 'POST',
        agent: false,
        rejectUnauthorized: false,
        ...(client
          ? { cert: readFileSync(join(dir, `${client}.crt`)), key: readFileSync(join(dir, `${client}.key`)) }
          : {}),
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) },
      },
      (res) => {
        let data = '';
        res.on('data', (d) => {
          data += d;
        });
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(data) }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pg-tls-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  clientCertificate('ca', 'apiserver');
  clientCertificate('other-ca', 'intruder');
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('certificate rotation without a restart', () => {
  it('serves a certificate replaced by rename (mv new.crt tls.crt) to the next connection', async () => {
    servingCertificate('tls');
    const s = await serve(['--tls-cert', 'tls.crt', '--tls-key', 'tls.key']);
    expect(await served(s.url)).toBe(fingerprint('tls.crt'));
    servingCertificate('next');
    // Key first, then the certificate: for a moment the pair does not match, and is not served.
    renameSync(join(dir, 'next.key'), join(dir, 'tls.key'));
    renameSync(join(dir, 'next.crt'), join(dir, 'tls.crt'));
    const rotated = fingerprint('tls.crt');
    await eventually(async () => expect(await served(s.url)).toBe(rotated));
  });

  it('serves the certificate of a Secret whose `..data` link was swapped (as the kubelet updates it)', async () => {
    const mount = join(dir, 'secret');
    const generation = (n: number) => {
      servingCertificate(`gen${n}`);
      mkdirSync(join(mount, `..gen${n}`), { recursive: true });
      renameSync(join(dir, `gen${n}.crt`), join(mount, `..gen${n}`, 'tls.crt'));
      renameSync(join(dir, `gen${n}.key`), join(mount, `..gen${n}`, 'tls.key'));
      symlinkSync(`..gen${n}`, join(mount, '..data_tmp'));
      renameSync(join(mount, '..data_tmp'), join(mount, '..data'));
      if (n === 1) {
        symlinkSync('..data/tls.crt', join(mount, 'tls.crt'));
        symlinkSync('..data/tls.key', join(mount, 'tls.key'));
      } else {
        rmSync(join(mount, `..gen${n - 1}`), { recursive: true });
      }
      return new X509Certificate(readFileSync(join(mount, 'tls.crt'))).fingerprint256;
    };
    const first = generation(1);
    const s = await serve(['--tls-cert', 'secret/tls.crt', '--tls-key', 'secret/tls.key']);
    expect(await served(s.url)).toBe(first);
    const second = generation(2);
    await eventually(async () => expect(await served(s.url)).toBe(second));
    const third = generation(3);
    await eventually(async () => expect(await served(s.url)).toBe(third));
  });
});

describe('--client-ca: admission reviews only from the API server', () => {
  it('refuses reviews without a client certificate it issued; probes need none', async () => {
    servingCertificate('tls');
    const s = await serve(['--tls-cert', 'tls.crt', '--tls-key', 'tls.key', '--client-ca', 'ca.crt']);
    const pod = review('pod-delete');
    const anonymous = await post(`${s.url}/v1/admission/validate`, pod);
    expect(anonymous.status).toBe(403);
    expect(anonymous.body.error.code).toBe('CLIENT_CERT_REQUIRED');
    expect((await post(`${s.url}/v1/admission/validate`, pod, 'intruder')).status).toBe(403);
    const apiserver = await post(`${s.url}/v1/admission/validate`, pod, 'apiserver');
    expect(apiserver).toMatchObject({ status: 200, body: { response: { allowed: true } } });
    const health = await new Promise<number>((resolve, reject) =>
      httpsRequest(`${s.url}/healthz`, { rejectUnauthorized: false, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      })
        .on('error', reject)
        .end(),
    );
    expect(health).toBe(200);
  });

  it('with --learn-namespaces, believes Namespace reviews from the API server and no one else', async () => {
    servingCertificate('tls');
    const s = await serve([
      '--tls-cert',
      'tls.crt',
      '--tls-key',
      'tls.key',
      '--client-ca',
      'ca.crt',
      '--learn-namespaces',
    ]);
    const namespace = (team: string) => {
      const body = review('namespace-create');
      body.request['name'] = 'shop';
      body.request.object = {
        kind: 'Namespace',
        apiVersion: 'v1',
        metadata: { name: 'shop', labels: { team } },
      };
      return body;
    };
    const labels = () => s.policies.engine?.explain('shop').labels;
    expect((await post(`${s.url}/v1/admission/validate`, namespace('payments'), 'intruder')).status).toBe(
      403,
    );
    expect(labels()).toBeNull();
    const learned = await post(`${s.url}/v1/admission/validate`, namespace('payments'), 'apiserver');
    expect(learned.body.response.allowed).toBe(true);
    expect(labels()).toMatchObject({ team: 'payments' });
    // And the labels now decide: the tenant policy applies to shop.
    const pod = review('pod-create');
    const verdict = await post(`${s.url}/v1/admission/validate`, pod, 'apiserver');
    expect(verdict.body.response.status.message).toContain('tenant');
  });
});
