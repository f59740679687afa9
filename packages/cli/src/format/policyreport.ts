import type { CheckFormatter } from './check-result.js';
import { checkResults } from './policyreport-check.js';
import { buildReports, renderReports, WGPOLICY_V1ALPHA2 } from './policyreport-reports.js';

/**
 * `--format policyreport`: `wgpolicyk8s.io/v1alpha2` PolicyReports (one per namespace) and a
 * ClusterPolicyReport (inputs that could not be read), as YAML for `kubectl apply -f -`.
 */
export const formatPolicyReport: CheckFormatter = (result, ctx) =>
  renderReports(
    buildReports(checkResults(result, ctx), { flavor: WGPOLICY_V1ALPHA2, kind: 'check', clock: ctx.clock }),
  );
