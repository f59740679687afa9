// The embedding example of docs/sdk.md, run by embed.test.ts.
// #region embed
import { createEngine, loadPolicies } from '@pullguard/sdk';
import acme from './acme-plugin.js';
// #endregion embed

export async function checkBeforeSync(policyDir: string, yamlText: string) {
  // #region embed
  const engine = createEngine({ policies: await loadPolicies([policyDir]), plugins: [acme] });
  const report = await engine.evaluate(yamlText, { namespace: 'prod-a', file: 'deploy.yaml' });
  if (report.verdict === 'fail') {
    for (const f of report.findings) {
      const at = f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : f.pointer;
      console.error(`${at} ${f.action} ${f.rule}: ${f.message}`);
    }
  }
  // #endregion embed
  return report;
}
