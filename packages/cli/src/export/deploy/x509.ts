/**
 * `--self-signed`: a CA and a serving certificate it signs, made with node:crypto alone.
 *
 * Why node:crypto rather than openssl: `pullguard export deploy` runs wherever the CLI runs — a
 * laptop (macOS ships LibreSSL, whose `req -addext` and defaults differ from OpenSSL's), CI, the
 * distroless image (no openssl at all) — and must make the same certificate everywhere. Node has
 * every primitive (key generation, ECDSA signatures, SHA-256) but no certificate writer, so the
 * certificate's DER is written here (der.ts) per RFC 5280, and the tests read every certificate
 * back with node's X509Certificate, verify its chain, serve it from a real TLS server, and check
 * it with `openssl verify` where openssl is installed.
 *
 * Keys are ECDSA P-256 (`prime256v1`), which Go's crypto/tls — the API server calling the
 * webhook — accepts; signatures ecdsa-with-SHA256.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import {
  bitString,
  boolean,
  explicit,
  implicit,
  namedBits,
  octetString,
  oid,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from './der.js';

const OID = {
  commonName: '2.5.4.3',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
} as const;

/** KeyUsage bits (RFC 5280 §4.2.1.3). */
const DIGITAL_SIGNATURE = 0;
const KEY_CERT_SIGN = 5;
const CRL_SIGN = 6;

/** Clocks disagree: a certificate valid from "now" is rejected by a node whose clock is behind. */
const BACKDATE_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface KeyPairPem {
  /** PEM `CERTIFICATE`. */
  certificate: string;
  /** PEM `PRIVATE KEY` (PKCS #8). */
  key: string;
  notAfter: Date;
}

export interface SelfSignedTls {
  ca: KeyPairPem;
  serving: KeyPairPem;
}

interface Issuer {
  name: Buffer;
  key: KeyObject;
  keyId: Buffer;
}

const ecdsaWithSha256 = () => sequence(oid(OID.ecdsaWithSha256));
const distinguishedName = (commonName: string) =>
  sequence(set(sequence(oid(OID.commonName), utf8String(commonName))));
const extension = (id: string, critical: boolean, value: Buffer) =>
  sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));

/** RFC 7093 §2 method 1: the leftmost 160 bits of the SHA-256 hash of the public key's DER. */
function keyIdentifier(publicKey: KeyObject): Buffer {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest()
    .subarray(0, 20);
}

/** A positive, non-zero 127-bit serial number (RFC 5280 §4.1.2.2: at most 20 octets, unique per CA). */
function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return unsignedInteger(bytes);
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function certificate(options: {
  subject: string;
  publicKey: KeyObject;
  issuer: Issuer | 'self';
  privateKey: KeyObject;
  now: number;
  days: number;
  extensions: Buffer[];
}): { der: Buffer; notAfter: Date } {
  const subject = distinguishedName(options.subject);
  const ownId = keyIdentifier(options.publicKey);
  const issuer: Issuer =
    options.issuer === 'self' ? { name: subject, key: options.privateKey, keyId: ownId } : options.issuer;
  const notBefore = new Date(options.now - BACKDATE_MS);
  const notAfter = new Date(options.now + options.days * DAY_MS);
  const tbs = sequence(
    explicit(0, smallInteger(2)), // v3
    serialNumber(),
    ecdsaWithSha256(),
    issuer.name,
    sequence(time(notBefore), time(notAfter)),
    subject,
    options.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(
      3,
      sequence(
        ...options.extensions,
        extension(OID.subjectKeyIdentifier, false, octetString(ownId)),
        extension(OID.authorityKeyIdentifier, false, sequence(implicit(0, issuer.keyId))),
      ),
    ),
  );
  const signature = sign('sha256', tbs, { key: issuer.key, dsaEncoding: 'der' });
  return { der: sequence(tbs, ecdsaWithSha256(), bitString(signature)), notAfter };
}

const newKey = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

/**
 * A CA (`days` valid; basicConstraints CA, may sign certificates) and a serving certificate it
 * signs for `dnsNames` (serverAuth; the API server checks the name against subjectAltName only,
 * Go having dropped the common-name fallback in 1.15).
 */
export function selfSignedTls(options: {
  commonName: string;
  dnsNames: readonly string[];
  now: number;
  caDays: number;
  servingDays: number;
}): SelfSignedTls {
  const caKeys = newKey();
  const ca = certificate({
    subject: `${options.commonName} CA`,
    publicKey: caKeys.publicKey,
    issuer: 'self',
    privateKey: caKeys.privateKey,
    now: options.now,
    days: options.caDays,
    extensions: [
      extension(OID.basicConstraints, true, sequence(boolean(true), smallInteger(0))),
      extension(OID.keyUsage, true, namedBits([DIGITAL_SIGNATURE, KEY_CERT_SIGN, CRL_SIGN])),
    ],
  });
  const servingKeys = newKey();
  const serving = certificate({
    subject: options.commonName,
    publicKey: servingKeys.publicKey,
    issuer: {
      name: distinguishedName(`${options.commonName} CA`),
      key: caKeys.privateKey,
      keyId: keyIdentifier(caKeys.publicKey),
    },
    privateKey: servingKeys.privateKey,
    now: options.now,
    days: options.servingDays,
    extensions: [
      extension(OID.basicConstraints, true, sequence()),
      extension(OID.keyUsage, true, namedBits([DIGITAL_SIGNATURE])),
      extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))),
      extension(
        OID.subjectAltName,
        false,
        sequence(...options.dnsNames.map((name) => implicit(2, Buffer.from(name, 'ascii')))),
      ),
    ],
  });
  const privatePem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    ca: {
      certificate: pem('CERTIFICATE', ca.der),
      key: privatePem(caKeys.privateKey),
      notAfter: ca.notAfter,
    },
    serving: {
      certificate: pem('CERTIFICATE', serving.der),
      key: privatePem(servingKeys.privateKey),
      notAfter: serving.notAfter,
    },
  };
}
