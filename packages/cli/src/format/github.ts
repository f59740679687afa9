import type { Action, Diagnostic, Finding } from '@pullguard/engine';
import { type CheckFormatter, displayPath } from './check-result.js';

/**
 * `--format github`: workflow commands that GitHub Actions turns into annotations on the diff.
 * Escaping follows the runner's rules (actions/toolkit, packages/core/src/command.ts): in the
 * message `%`, `\r`, `\n`; in property values also `:` and `,`.
 */
export function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

const COMMAND: Record<Action, 'error' | 'warning' | 'notice'> = {
  deny: 'error',
  warn: 'warning',
  audit: 'notice',
};

function command(
  name: string,
  properties: Record<string, string | number | undefined>,
  message: string,
): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

function location(file: string | undefined, line: number | undefined, col: number | undefined, cwd: string) {
  return file === undefined ? {} : { file: displayPath(file, cwd), line, col };
}

function findingLine(f: Finding, cwd: string): string {
  // Exempted findings are not hidden: they become notices, so reviewers still see them.
  const name = f.exemption?.status === 'active' ? 'notice' : COMMAND[f.action];
  const exempt = f.exemption?.status === 'active' ? ' (exempted)' : '';
  const where = `${f.workload.kind}/${f.workload.name} container ${f.container.name}`;
  const hint = f.hint ? `\n${f.hint}` : '';
  return command(
    name,
    {
      ...location(f.location?.file, f.location?.line, f.location?.column, cwd),
      title: `pullguard ${f.rule}${exempt}`,
    },
    `${where}: ${f.message}${hint}`,
  );
}

function diagnosticLine(d: Diagnostic, cwd: string): string {
  return command(
    d.severity === 'error' ? 'error' : 'warning',
    {
      ...location(d.location?.file, d.location?.line, d.location?.column, cwd),
      title: `pullguard ${d.code}`,
    },
    d.message,
  );
}

export const formatGithub: CheckFormatter = (result, ctx) => {
  const { report } = result;
  const lines = [
    ...report.errors.map((d) => diagnosticLine(d, ctx.cwd)),
    ...report.warnings.map((d) => diagnosticLine(d, ctx.cwd)),
    ...report.findings.map((f) => findingLine(f, ctx.cwd)),
  ];
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
};
