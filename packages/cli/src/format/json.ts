import type { Diagnostic, Finding } from '@pullguard/engine';
import {
  type CheckFormatter,
  type CheckResult,
  displayPath,
  type FormatContext,
  isBlocking,
} from './check-result.js';

/**
 * `--format json`: the stable, documented shape (docs/cli.md#json). Every documented key is always
 * present; absent values are `null`, never missing, so consumers need no existence checks.
 * Bump `version` on any incompatible change.
 */
export const JSON_REPORT_VERSION = 1;

function jsonFinding(f: Finding, result: CheckResult, ctx: FormatContext) {
  return {
    rule: f.rule,
    policy: f.policy,
    action: f.action,
    status: f.status,
    blocking: isBlocking(f, result.failOn),
    message: f.message,
    hint: f.hint ?? null,
    namespace: f.namespace,
    workload: { apiVersion: f.workload.apiVersion, kind: f.workload.kind, name: f.workload.name },
    container: { name: f.container.name, type: f.container.type },
    image: {
      raw: f.image.raw,
      name: f.image.name ?? null,
      tag: f.image.tag ?? null,
      digest: f.image.digest ?? null,
    },
    pullPolicy: { declared: f.pullPolicy.declared ?? null, effective: f.pullPolicy.effective },
    location: f.location
      ? { file: displayPath(f.location.file, ctx.cwd), line: f.location.line, column: f.location.column }
      : null,
    pointer: f.pointer,
    exemption: f.exemption
      ? {
          status: f.exemption.status,
          owner: f.exemption.owner ?? null,
          reason: f.exemption.reason ?? null,
          expires: f.exemption.expires ?? null,
        }
      : null,
    fix: f.fix ? { pointer: f.fix.pointer, field: f.fix.field, value: f.fix.value } : null,
  };
}

export function jsonDiagnostic(d: Diagnostic, cwd: string) {
  return {
    code: d.code,
    message: d.message,
    file: d.location ? displayPath(d.location.file, cwd) : null,
    line: d.location?.line ?? null,
    column: d.location?.column ?? null,
    field: d.field ?? null,
  };
}

export const formatJson: CheckFormatter = (result, ctx) => {
  const { report } = result;
  const out = {
    version: JSON_REPORT_VERSION,
    verdict: report.verdict,
    failOn: result.failOn,
    blocking: result.blocking,
    findings: report.findings.map((f) => jsonFinding(f, result, ctx)),
    errors: report.errors.map((d) => jsonDiagnostic(d, ctx.cwd)),
    warnings: report.warnings.map((d) => jsonDiagnostic(d, ctx.cwd)),
    summary: { ...report.summary, rules: result.ruleCounts },
    policyFingerprint: report.policyFingerprint,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
};
