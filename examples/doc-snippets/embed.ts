// The embedding example of docs/sdk.md, run by embed.test.ts.
// #region embed
import { createEngine, formatDiagnostic, loadPolicies } from '@pullguard/sdk';
import acme from './acme-plugin.js';
// #endregion embed

export async function checkBeforeSync(policyDir: string, yamlText: string) {
  // #region embed
  const engine = createEngine({ policies: await loadPolicies([policyDir]), plugins: [acme] });
  const report = await engine.evaluateText(yamlText, { namespace: 'prod-a', file: 'deploy.yaml' });
  // Deploy only on `pass`: `fail` is a deny finding, `error` input that could not be read.
  if (report.verdict !== 'pass') {
    for (const e of report.errors) console.error(formatDiagnostic(e));
    for (const f of report.findings) {
      const at = f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : f.pointer;
      console.error(`${at} ${f.action} ${f.rule}: ${f.message}`);
    }
  }
  // #endregion embed
  return report;
}
