import type { Finding } from '@pullguard/engine';
import { describe, expect, it } from 'vitest';
import {
  attachWarnings,
  auditAnnotations,
  auditKey,
  boundWarnings,
  DENIAL_MAX_FINDINGS,
  denialMessage,
  shorten,
  WARNING_MAX_RUNES,
  warningFor,
} from './messages.js';
import type { AdmissionResponse } from './review.js';

const finding = (over: Partial<Finding> = {}): Finding => ({
  rule: 'require-digest',
  policy: 'prod',
  action: 'deny',
  status: 'violation',
  message: 'pin the image by digest',
  namespace: 'shop',
  workload: { apiVersion: 'v1', kind: 'Pod', name: 'web' },
  container: { name: 'app', type: 'container' },
  image: { raw: 'nginx:1.25' },
  pullPolicy: { effective: 'IfNotPresent' },
  pointer: '/spec/containers/0/image',
  ...over,
});

describe('boundWarnings (the API server forwards these untruncated)', () => {
  it('cuts each warning to 120 characters, never splitting a surrogate pair', () => {
    const [bmp] = boundWarnings(['é'.repeat(300)]).warnings;
    expect(Array.from(bmp!)).toHaveLength(120);
    expect(bmp!.endsWith('…')).toBe(true);
    const [astral] = boundWarnings([`${'é'.repeat(118)}${'😀'.repeat(50)}`]).warnings;
    expect(Array.from(astral!).length).toBeLessThanOrEqual(120);
    expect(Buffer.from(astral!, 'utf8').toString('utf8')).toBe(astral); // no lone surrogate
  });

  it('replaces control characters (which make the API server drop a warning) and lone surrogates', () => {
    expect(boundWarnings(['a\nb\tc\u0085d\u007f', 'x\ud800y']).warnings).toEqual(['a b c d', 'x\ufffdy']);
  });

  it('drops duplicates and empty warnings', () => {
    expect(boundWarnings(['same', 'same', ' ', 'other']).warnings).toEqual(['same', 'other']);
  });

  it('keeps the total under 4096 characters and says how many were left out', () => {
    const many = Array.from({ length: 100 }, (_, i) => `${i}: ${'w'.repeat(100)}`);
    const { warnings: out, cut } = boundWarnings(many);
    const total = out.reduce((n, w) => n + Array.from(w).length, 0);
    expect(total).toBeLessThanOrEqual(4096);
    expect(out.at(-1)).toMatch(/^pullguard: \d+ more warnings not shown$/);
    expect(out.length).toBeLessThan(100);
    // Everything left out is kept in full for the audit annotation.
    expect(cut).toHaveLength(100 - (out.length - 1));
    expect(cut.at(-1)).toBe(many.at(-1));
  });
});

describe('warnings of findings', () => {
  const long = finding({
    rule: 'allowed-registries',
    image: { raw: 'registry.example.com/team/service-with-a-long-name:2024.11.03-rc1' },
    message:
      'the image comes from a registry that is not on the allowlist of this namespace (policy production)',
    container: { name: 'application-server', type: 'container' },
  });

  it('start with the rule and the image, so that a cut warning still says what and which', () => {
    expect(warningFor(finding({ action: 'warn' }))).toBe(
      'require-digest nginx:1.25: pin the image by digest — container app',
    );
    expect(warningFor(finding(), 'pre-existing')).toMatch(/^require-digest nginx:1\.25 \(pre-existing\): /);
    const [cut] = boundWarnings([warningFor(long)]).warnings;
    expect(
      cut!.startsWith(
        'allowed-registries registry.example.com/team/service-with-a-long-name:2024.11.03-rc1: ',
      ),
    ).toBe(true);
  });

  it(`are cut to ${WARNING_MAX_RUNES} characters at a word boundary, ending in "…"`, () => {
    const text = warningFor(long);
    const cut = shorten(text, WARNING_MAX_RUNES);
    expect(cut.length).toBeLessThanOrEqual(WARNING_MAX_RUNES);
    expect(cut.endsWith('…')).toBe(true);
    // What precedes "…" is a prefix of the text that ends where a word ends.
    const kept = cut.slice(0, -1);
    expect(text.startsWith(kept)).toBe(true);
    expect(text[kept.length]).toBe(' ');
    expect(shorten('short', WARNING_MAX_RUNES)).toBe('short');
    // One word longer than the room is cut where the room ends.
    expect(shorten('x'.repeat(300), 120)).toBe(`${'x'.repeat(119)}…`);
  });

  it('send the full text of what was cut in the `warnings` audit annotation', () => {
    const response: AdmissionResponse = { uid: 'u', allowed: true, auditAnnotations: { 'audit-x': '[]' } };
    attachWarnings(response, [warningFor(long), 'short one']);
    expect(response.warnings).toHaveLength(2);
    expect(response.warnings![0]!.length).toBeLessThanOrEqual(120);
    expect(response.auditAnnotations).toEqual({
      'audit-x': '[]',
      warnings: JSON.stringify([warningFor(long)]),
    });
    const untouched: AdmissionResponse = { uid: 'u', allowed: true };
    attachWarnings(untouched, ['short one']);
    expect(untouched).toEqual({ uid: 'u', allowed: true, warnings: ['short one'] });
  });
});

describe('denialMessage', () => {
  it('lists container, image, rule, why, policy and fix for each blocking finding', () => {
    expect(denialMessage('Pod shop/web', [finding({ hint: 'use image@sha256:…' })])).toBe(
      'pullguard denied Pod shop/web: 1 finding\n- container "app" image "nginx:1.25": require-digest — pin the image by digest (policy prod). Fix: use image@sha256:…',
    );
  });

  it(`lists at most ${DENIAL_MAX_FINDINGS} findings and counts the rest`, () => {
    const message = denialMessage(
      'Pod shop/web',
      Array.from({ length: 25 }, () => finding()),
    );
    expect(message.split('\n')).toHaveLength(1 + DENIAL_MAX_FINDINGS + 1);
    expect(message).toContain('- … and 5 more');
  });
});

describe('auditAnnotations', () => {
  it('keys one annotation per rule as a qualified name, valued with a JSON list', () => {
    const out = auditAnnotations([
      finding({ rule: 'acme/no-busybox', action: 'audit' }),
      finding({ rule: 'acme/no-busybox', action: 'audit', container: { name: 'b', type: 'init' } }),
    ]);
    expect(Object.keys(out!)).toEqual(['audit-acme-no-busybox']);
    expect(JSON.parse(out!['audit-acme-no-busybox']!)).toHaveLength(2);
  });

  it('makes keys valid whatever the rule id', () => {
    for (const rule of ['a/b/c', 'x'.repeat(100), 'ends-with-dash-', 'sp ace', 'ü']) {
      const key = auditKey(rule);
      expect(key.length).toBeLessThanOrEqual(63);
      expect(key).toMatch(/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/);
    }
  });

  it('answers undefined when nothing was audited', () => {
    expect(auditAnnotations([])).toBeUndefined();
  });
});
