// The client example of docs/sdk.md, run against a real server by client.e2e.test.ts.
// #region client
import { createClient, PullguardApiError, PullguardNetworkError } from '@pullguard/sdk/client';
// #endregion client

export async function gate(
  baseUrl: string,
  manifests: string,
): Promise<'deploy' | 'blocked' | 'unavailable'> {
  // #region client
  const pullguard = createClient({ baseUrl, token: process.env['PULLGUARD_ADMIN_TOKEN'] });

  try {
    const report = await pullguard.evaluate(manifests, { namespace: 'prod-a', file: 'deploy.yaml' });
    for (const f of report.findings) console.log(`${f.action} ${f.rule} ${f.container.name}: ${f.message}`);
    for (const e of report.errors) console.error(`unreadable: ${e.message}`);
    // Only `pass` deploys: `fail` (a deny finding) and `error` (input it could not read) block.
    return report.verdict === 'pass' ? 'deploy' : 'blocked';
  } catch (error) {
    if (error instanceof PullguardApiError)
      console.error(`rejected (${error.status} ${error.code}): ${error.message}`);
    else if (error instanceof PullguardNetworkError) console.error(`pullguard unreachable: ${error.message}`);
    else throw error;
    return 'unavailable';
  }
  // #endregion client
}
