import type { CheckFormatter } from './check-result.js';
import type { CheckFormat } from './formats.js';

/** Each formatter module is imported only when its format is asked for. */
export async function loadFormatter(format: CheckFormat): Promise<CheckFormatter> {
  switch (format) {
    case 'table':
      return (await import('./table.js')).formatTable;
    case 'compact':
      return (await import('./compact.js')).formatCompact;
    case 'json':
      return (await import('./json.js')).formatJson;
    case 'sarif':
      return (await import('./sarif.js')).formatSarif;
    case 'junit':
      return (await import('./junit.js')).formatJunit;
    case 'github':
      return (await import('./github.js')).formatGithub;
    case 'policyreport':
      return (await import('./policyreport.js')).formatPolicyReport;
    case 'openreports':
      return (await import('./openreports.js')).formatOpenReports;
  }
}
