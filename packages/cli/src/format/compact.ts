import type { Finding } from '@pullguard/engine';
import { type CheckFormatter, pathDisplay } from './check-result.js';

/**
 * `--format compact`: one line per finding, `file:line:col action rule image message`, for grep,
 * editors' quickfix lists and terminals too narrow for the table. The action is `exempt` under
 * an active exemption and `error` when the rule failed, as the table's badges say. Messages are
 * flattened to one line. The summary goes to stderr (commands/check.ts).
 */
function action(f: Finding): string {
  if (f.exemption?.status === 'active') return 'exempt';
  return f.status === 'error' ? 'error' : f.action;
}

export const formatCompact: CheckFormatter = (result, ctx) => {
  const path = pathDisplay(ctx.cwd);
  const lines = result.report.findings.map((f) => {
    const where = `${path(f.location?.file)}:${f.location?.line ?? 0}:${f.location?.column ?? 0}`;
    return `${where} ${action(f)} ${f.rule} ${f.image.raw} ${f.message.replaceAll(/\s*\n\s*/g, ' ')}`;
  });
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
};
