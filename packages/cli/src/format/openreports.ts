import type { CheckFormatter } from './check-result.js';
import { checkResults } from './policyreport-check.js';
import { buildReports, OPENREPORTS_V1ALPHA1, renderReports } from './policyreport-reports.js';

/**
 * `--format openreports`: `openreports.io/v1alpha1` Reports (one per namespace) and a ClusterReport
 * (inputs that could not be read), as YAML for `kubectl apply -f -`.
 */
export const formatOpenReports: CheckFormatter = (result, ctx) =>
  renderReports(
    buildReports(checkResults(result, ctx), {
      flavor: OPENREPORTS_V1ALPHA1,
      kind: 'check',
      clock: ctx.clock,
    }),
  );
