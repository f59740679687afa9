/**
 * The one verdict rule (types.ts Verdict), shared by the engine's reports and by whoever folds
 * several reports into one (the CLI's run over many files).
 */
import type { Diagnostic } from '../errors.js';
import type { Finding, Verdict } from '../types.js';

/** A finding blocks when its action is `deny` and no active exemption covers it. */
export function isBlockingFinding(finding: Finding): boolean {
  return finding.action === 'deny' && finding.exemption?.status !== 'active';
}

/** `error` when any input could not be read, else `fail` when a finding blocks, else `pass`. */
export function reportVerdict(findings: readonly Finding[], errors: readonly Diagnostic[]): Verdict {
  if (errors.some((e) => e.severity === 'error')) return 'error';
  return findings.some(isBlockingFinding) ? 'fail' : 'pass';
}
