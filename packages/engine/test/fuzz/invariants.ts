/**
 * What must hold of every answer, whatever the input: the assertions the fuzz suites (engine and
 * server) make on diagnostics and reports.
 */
import { expect } from 'vitest';
import { type Diagnostic, ERROR_CODES, type Report } from '../../src/index.js';

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
