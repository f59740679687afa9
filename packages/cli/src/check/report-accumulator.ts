import type { Diagnostic, Finding, Report, ReportSummary } from '@pullguard/engine';
import { compareDiagnostics, formatDiagnostic } from '@pullguard/engine';
import { reportVerdict } from '@pullguard/engine/internals';

function compareFindings(a: Finding, b: Finding): number {
  const fa = a.location?.file ?? '';
  const fb = b.location?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  const d =
    (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
    (a.location?.column ?? 0) - (b.location?.column ?? 0);
  if (d !== 0) return d;
  return a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0;
}

/**
 * Folds the per-file reports of a run into one. Keeps findings and diagnostics only — never the
 * documents — so memory grows with what is reported, not with the size of the input.
 */
export class ReportAccumulator {
  private readonly findings: Finding[] = [];
  private readonly errors: Diagnostic[] = [];
  private readonly warnings = new Map<string, Diagnostic>();
  private readonly mutations: Report['mutations'] = [];
  private fingerprint = '';
  /** The counts so far (cache statistics are filled in by `result`). */
  readonly summary: ReportSummary = {
    objects: 0,
    workloads: 0,
    images: 0,
    findings: { deny: 0, warn: 0, audit: 0, exempted: 0, errors: 0 },
    errors: 0,
    cache: { hits: 0, misses: 0 },
  };

  add(report: Report): void {
    this.findings.push(...report.findings);
    this.errors.push(...report.errors);
    // Policy warnings repeat in every file's report: keep one of each.
    for (const w of report.warnings) this.warnings.set(formatDiagnostic(w), w);
    this.mutations.push(...report.mutations);
    this.fingerprint = report.policyFingerprint;
    const s = report.summary;
    this.summary.objects += s.objects;
    this.summary.workloads += s.workloads;
    this.summary.images += s.images;
    this.summary.errors += report.errors.length;
    for (const key of ['deny', 'warn', 'audit', 'exempted', 'errors'] as const) {
      this.summary.findings[key] += s.findings[key];
    }
  }

  /** Notes on the run as a whole (run-notes.ts, unrendered sources): errors and warnings by severity. */
  note(diagnostics: readonly Diagnostic[]): void {
    for (const d of diagnostics) {
      if (d.severity === 'error') {
        this.errors.push(d);
        this.summary.errors++;
      } else this.warnings.set(formatDiagnostic(d), d);
    }
  }

  result(cache: { hits: number; misses: number }): Report {
    const findings = this.findings.sort(compareFindings);
    const errors = this.errors.sort(compareDiagnostics);
    return {
      verdict: reportVerdict(findings, errors),
      findings,
      errors,
      warnings: [...this.warnings.values()].sort(compareDiagnostics),
      mutations: this.mutations,
      policyFingerprint: this.fingerprint,
      summary: { ...this.summary, cache },
    };
  }
}
