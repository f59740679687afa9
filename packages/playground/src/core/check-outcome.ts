import type { Report, Verdict } from '@pullguard/engine';
import { isError, type Problem } from './problems.js';

/**
 * How `pullguard check` would end on these editors (docs/cli.md, exit codes): 2 when anything
 * could not be read — policies, the namespaces file, fixtures, manifests — or no workload was
 * found (NO_WORKLOADS); else the report's verdict: 1 for a deny finding no active exemption
 * covers, 0 otherwise. (`--fail-on deny`, the default; a conformance test runs the real CLI on
 * the same inputs and expects the same code.)
 */
export interface CheckOutcome {
  verdict: Verdict;
  exitCode: 0 | 1 | 2;
  /** One sentence: why. */
  reason: string;
}

export function checkOutcome(
  problems: readonly Problem[],
  report: Report | undefined,
  workloads: number,
): CheckOutcome {
  const errors = problems.filter(isError);
  if (errors.length > 0) {
    const codes = [...new Set(errors.map((p) => p.code))].join(', ');
    return { verdict: 'error', exitCode: 2, reason: `${plural(errors.length, 'error')} (${codes})` };
  }
  if (report === undefined || workloads === 0) {
    return { verdict: 'error', exitCode: 2, reason: 'no Kubernetes workloads found (NO_WORKLOADS)' };
  }
  const { deny, warn, audit, exempted } = report.summary.findings;
  const counts = `${deny} deny, ${warn} warn, ${audit} audit, ${exempted} exempted`;
  return report.verdict === 'fail'
    ? { verdict: 'fail', exitCode: 1, reason: `blocking findings (${counts})` }
    : {
        verdict: report.verdict,
        exitCode: report.verdict === 'error' ? 2 : 0,
        reason: `nothing blocking (${counts})`,
      };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
