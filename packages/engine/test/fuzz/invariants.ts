/**
 * What must hold of every answer, whatever the input: the assertions the fuzz suites (engine and
 * server) make on diagnostics and reports.
 */
import { expect } from 'vitest';
import { type Diagnostic, ERROR_CODES, type Finding, type Report } from '../../src/index.js';

/**
 * A diagnostic says what (a registered code, a message) and, when `file` is given, where: that
 * file, a line and a column.
 */
export function expectDiagnostic(d: Diagnostic, file?: string): void {
  expect(Object.hasOwn(ERROR_CODES, d.code), `unregistered code ${d.code}`).toBe(true);
  expect(['error', 'warning']).toContain(d.severity);
  expect(typeof d.message === 'string' && d.message.trim() !== '', `empty message for ${d.code}`).toBe(true);
  if (file !== undefined) {
    expect(d.location, `${d.code} ${d.message} has no location`).toBeDefined();
    expect(d.location?.file).toBe(file);
    expect(d.location?.line).toBeGreaterThanOrEqual(1);
    expect(d.location?.column).toBeGreaterThanOrEqual(1);
  }
}

/**
 * The verdict rule (docs/server.md, types.ts Verdict): `error` whenever anything could not be read,
 * whatever else was found; else `fail` when a finding blocks; else `pass`. A report is never
 * `pass` with errors.
 */
export function expectVerdictHolds(report: Report, file?: string): void {
  const unread = report.errors.filter((d) => d.severity === 'error');
  const blocking = report.findings.filter((f) => f.action === 'deny' && f.exemption?.status !== 'active');
  const expected = unread.length > 0 ? 'error' : blocking.length > 0 ? 'fail' : 'pass';
  expect(report.verdict, JSON.stringify(report.errors).slice(0, 500)).toBe(expected);
  for (const d of report.errors) expectDiagnostic(d, file);
}

/**
 * A policy that flags every image it judges (audit: it never changes a verdict), so that what was
 * judged shows in the findings: `every-image` for each valid reference, `invalid-image` (always
 * on) for each invalid one.
 */
export const EVERY_IMAGE_POLICY = `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata: {name: fuzz-every-image}
spec:
  namespaces: ["*"]
  action: audit
  rules:
    - rule: expression
      id: every-image
      when: true
`;

/** Every image of `images` was judged, and nothing else (with EVERY_IMAGE_POLICY serving). */
export function expectImagesJudged(findings: readonly Finding[], images: readonly string[]): void {
  const judged = new Set(
    findings.filter((f) => f.rule === 'every-image' || f.rule === 'invalid-image').map((f) => f.image.raw),
  );
  expect([...judged].sort()).toEqual([...new Set(images)].sort());
}
