/**
 * The webhook's serving certificate, and how the API server comes to trust it.
 *
 * cert-manager (default): a self-signed Issuer bootstraps a CA Certificate; a CA Issuer signs
 * the serving Certificate, which cert-manager renews before it expires; cainjector copies the CA
 * into both webhook configurations (`cert-manager.io/inject-ca-from`). A CA between them, rather
 * than a self-signed serving certificate, matters: the webhooks trust the CA, which stays the same
 * when the serving certificate is renewed, so a renewal never leaves the API server trusting one
 * certificate while a replica still serves another (kubelet updates mounted Secrets about a
 * minute later; the server re-reads the files when they change).
 *
 * `--self-signed`: the same two certificates, made now (x509.ts), in one Secret, with the CA in
 * each webhook's `caBundle`. Nothing renews them: docs/operations.md has the rotation.
 */
import type { ICertificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import type { IIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import { CA_DAYS, labels, NAMES, SERVING_DAYS, serviceDnsNames } from './layout.js';
import type { SelfSignedTls } from './x509.js';

interface TlsOptions {
  namespace: string;
  version: string;
}

const hours = (days: number) => `${days * 24}h`;
const ecdsa = { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' } as const;

export function certManagerObjects(o: TlsOptions): (IIssuer | ICertificate)[] {
  const metadata = (name: string) => ({ name, namespace: o.namespace, labels: labels(o.version) });
  return [
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: metadata(NAMES.bootstrapIssuer),
      spec: { selfSigned: {} },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: metadata(NAMES.caCertificate),
      spec: {
        isCA: true,
        commonName: 'pullguard CA',
        secretName: NAMES.caSecret,
        duration: hours(CA_DAYS),
        privateKey: ecdsa,
        issuerRef: { kind: 'Issuer', name: NAMES.bootstrapIssuer },
      },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: metadata(NAMES.caIssuer),
      spec: { ca: { secretName: NAMES.caSecret } },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: metadata(NAMES.servingCertificate),
      spec: {
        secretName: NAMES.tlsSecret,
        dnsNames: serviceDnsNames(o.namespace),
        // 90 days, renewed 30 days before it ends: a failed renewal has a month to be noticed.
        duration: '2160h',
        renewBefore: '720h',
        privateKey: ecdsa,
        usages: ['server auth', 'digital signature'],
        issuerRef: { kind: 'Issuer', name: NAMES.caIssuer },
      },
    },
  ];
}

/** What cainjector reads the CA from: the serving Certificate (its Secret's `ca.crt`). */
export function certManagerCaSource(namespace: string): string {
  return `${namespace}/${NAMES.servingCertificate}`;
}

/** `--self-signed`: the serving certificate, its key and the CA, as a `kubernetes.io/tls` Secret. */
export function selfSignedSecret(o: TlsOptions, tls: SelfSignedTls): ISecret {
  const base64 = (text: string) => Buffer.from(text).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: {
      name: NAMES.tlsSecret,
      namespace: o.namespace,
      labels: labels(o.version),
      annotations: {
        // When to rotate (docs/operations.md): nothing renews a self-signed certificate.
        'pullguard.dev/serving-certificate-not-after': tls.serving.notAfter.toISOString(),
        'pullguard.dev/ca-not-after': tls.ca.notAfter.toISOString(),
      },
    },
    data: {
      'tls.crt': base64(tls.serving.certificate),
      'tls.key': base64(tls.serving.key),
      'ca.crt': base64(tls.ca.certificate),
    },
  };
}

export const SELF_SIGNED_DAYS = { caDays: CA_DAYS, servingDays: SERVING_DAYS } as const;
