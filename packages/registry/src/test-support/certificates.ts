import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificates {
  /** The PEM file of the test CA: what `--registry-ca` is given. */
  readonly caFile: string;
  /** A server certificate for 127.0.0.1 signed by that CA, and its key (PEM). */
  readonly cert: string;
  readonly key: string;
}

/** A self-signed certificate and its key, `NAME.crt` and `NAME.key` in `dir`. */
export function selfSignedCertificate(dir: string, name: string, commonName: string) {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.crt`);
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '2',
    '-subj',
    `/CN=${commonName}`,
  );
  return { keyFile, certFile };
}

/** A private CA and a server certificate for IP 127.0.0.1, made with openssl in `dir`. */
export function makeTestCertificates(dir: string): TestCertificates {
  const path = (name: string) => join(dir, name);
  const ca = selfSignedCertificate(dir, 'ca', 'pullguard-test-ca');
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    path('server.key'),
    '-out',
    path('server.csr'),
    '-subj',
    '/CN=127.0.0.1',
  );
  writeFileSync(path('server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    path('server.csr'),
    '-CA',
    ca.certFile,
    '-CAkey',
    ca.keyFile,
    '-CAcreateserial',
    '-out',
    path('server.crt'),
    '-days',
    '2',
    '-extfile',
    path('server.ext'),
  );
  return {
    caFile: ca.certFile,
    cert: readFileSync(path('server.crt'), 'utf8'),
    key: readFileSync(path('server.key'), 'utf8'),
  };
}

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}
