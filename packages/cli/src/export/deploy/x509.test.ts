import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { namedBits, oid, time, unsignedInteger } from './der.js';
import { selfSignedTls } from './x509.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const NAMES = ['pullguard.pullguard-system.svc', 'pullguard.pullguard-system.svc.cluster.local'];
const tls = selfSignedTls({
  commonName: 'pullguard',
  dnsNames: NAMES,
  now: NOW,
  caDays: 3650,
  servingDays: 365,
});
const ca = new X509Certificate(tls.ca.certificate);
const serving = new X509Certificate(tls.serving.certificate);

describe('DER encodings', () => {
  it('match X.690 examples: OIDs, minimal integers, named bits, both time forms', () => {
    expect(oid('1.2.840.10045.4.3.2').toString('hex')).toBe('06082a8648ce3d040302');
    expect(unsignedInteger(Buffer.from([0, 0, 0x80])).toString('hex')).toBe('02020080');
    expect(unsignedInteger(Buffer.from([0, 0x7f])).toString('hex')).toBe('02017f');
    // digitalSignature, keyCertSign, cRLSign: 1000 0110, one unused (trailing zero) bit.
    expect(namedBits([0, 5, 6]).toString('hex')).toBe('03020186');
    expect(namedBits([0]).toString('hex')).toBe('03020780');
    expect(time(new Date('2049-12-31T23:59:59Z')).toString('ascii', 2)).toBe('491231235959Z');
    expect(time(new Date('2050-01-01T00:00:00Z')).toString('ascii', 2)).toBe('20500101000000Z');
  });
});

describe('a self-signed CA and the serving certificate it signs', () => {
  it('read back as X.509: a CA, and a leaf for the Service names that the CA issued', () => {
    expect(ca.ca).toBe(true);
    expect(serving.ca).toBe(false);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(serving.verify(ca.publicKey)).toBe(true);
    expect(serving.checkIssued(ca)).toBe(true);
    for (const name of NAMES) expect(serving.checkHost(name, { subject: 'never' })).toBe(name);
    expect(serving.checkHost('pullguard.other.svc', { subject: 'never' })).toBeUndefined();
    expect(serving.subjectAltName).toBe(NAMES.map((n) => `DNS:${n}`).join(', '));
    expect(serving.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
  });

  it('are valid from an hour before the clock (skew) for the days asked', () => {
    expect(new Date(serving.validFrom).getTime()).toBe(NOW - 3_600_000);
    expect(new Date(serving.validTo).getTime()).toBe(NOW + 365 * 86_400_000);
    expect(new Date(ca.validTo).getTime()).toBe(NOW + 3650 * 86_400_000);
    expect(tls.serving.notAfter.toISOString()).toBe('2027-06-01T12:00:00.000Z');
  });

  it('come with their private keys (PKCS #8), each matching its certificate', () => {
    expect(serving.checkPrivateKey(createPrivateKey(tls.serving.key))).toBe(true);
    expect(ca.checkPrivateKey(createPrivateKey(tls.ca.key))).toBe(true);
    expect(serving.checkPrivateKey(createPrivateKey(tls.ca.key))).toBe(false);
  });

  const dir = mkdtempSync(join(tmpdir(), 'pullguard-x509-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
  it.skipIf(!hasOpenssl)('pass `openssl verify` for serverAuth (openssl installed)', () => {
    writeFileSync(join(dir, 'ca.crt'), tls.ca.certificate);
    writeFileSync(join(dir, 'tls.crt'), tls.serving.certificate);
    const out = execFileSync(
      'openssl',
      [
        'verify',
        '-purpose',
        'sslserver',
        '-attime',
        String(NOW / 1000 + 60),
        '-CAfile',
        join(dir, 'ca.crt'),
        join(dir, 'tls.crt'),
      ],
      { encoding: 'utf8' },
    );
    expect(out.trim()).toBe(`${join(dir, 'tls.crt')}: OK`);
  });
});
