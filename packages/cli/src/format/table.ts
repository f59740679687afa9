import type { Finding } from '@pullguard/engine';
import { style as makeStyle, type Style } from './ansi.js';
import { type CheckFormatter, type CheckResult, pathDisplay } from './check-result.js';
import { wrap } from './wrap.js';

/**
 * `--format table` (the default): findings grouped by file → workload → container, a hint per
 * rule at the end, and one summary line. Colors only when asked for (see `useColor`).
 */
function badge(f: Finding, s: Style): string {
  if (f.exemption?.status === 'active') return s.dim('exempt');
  if (f.status === 'error') return s.red('ERROR ');
  return f.action === 'deny' ? s.red('deny  ') : f.action === 'warn' ? s.yellow('warn  ') : s.blue('audit ');
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function summaryLine(result: CheckResult, s: Style): string {
  const { summary } = result.report;
  const blocking = result.blocking;
  const head =
    blocking > 0
      ? s.red(s.bold(`✖ ${plural(blocking, 'blocking finding')}`))
      : summary.workloads === 0
        ? summary.errors > 0
          ? s.red(s.bold('✖ nothing checked'))
          : s.yellow('✔ nothing to check')
        : summary.errors > 0
          ? s.red(s.bold('✖ no blocking findings in what could be read'))
          : s.green('✔ no blocking findings');
  const counts = [
    `${summary.findings.deny} deny`,
    `${summary.findings.warn} warn`,
    `${summary.findings.audit} audit`,
    `${summary.findings.exempted} exempted`,
    ...(summary.findings.errors > 0 ? [s.red(plural(summary.findings.errors, 'rule error'))] : []),
  ].join(', ');
  const scope = [
    plural(result.files, 'file'),
    plural(summary.workloads, 'workload'),
    plural(summary.images, 'image'),
  ].join(', ');
  const errors = summary.errors > 0 ? `; ${s.red(plural(summary.errors, 'error'))} (see stderr)` : '';
  return `${head} (${counts}) in ${scope}${errors}`;
}

/** One line per rule with findings: `  require-digest  2 deny, 1 exempted` (only counts above 0). */
function ruleCountLines(result: CheckResult, s: Style): string[] {
  const rules = Object.entries(result.ruleCounts);
  if (rules.length === 0) return [];
  const width = Math.max(...rules.map(([rule]) => rule.length));
  const lines = rules.map(([rule, c]) => {
    const counts = (['deny', 'warn', 'audit', 'exempted'] as const)
      .filter((key) => c[key] > 0)
      .map((key) => `${c[key]} ${key}`);
    if (c.errors > 0) counts.push(s.red(plural(c.errors, 'rule error')));
    return `  ${rule.padEnd(width)}  ${counts.join(', ')}`;
  });
  return [s.bold('Findings by rule'), ...lines];
}

/** The run in a few lines: the findings per rule, then the summary line. */
export function summaryBlock(result: CheckResult, s: Style): string {
  return `${[...ruleCountLines(result, s), summaryLine(result, s)].join('\n')}\n`;
}

export const formatTable: CheckFormatter = (result, ctx) => {
  const s = makeStyle(ctx.color);
  const lines: string[] = [];
  const path = pathDisplay(ctx.cwd);
  const byFile = groupBy(result.report.findings, (f) => path(f.location?.file));
  for (const [file, fileFindings] of byFile) {
    lines.push(s.bold(file));
    const byWorkload = groupBy(
      fileFindings,
      (f) => `${f.workload.kind}/${f.workload.name}\u0000${f.namespace}`,
    );
    for (const workloadFindings of byWorkload.values()) {
      const w = workloadFindings[0] as Finding;
      lines.push(`  ${s.bold(`${w.workload.kind}/${w.workload.name}`)} ${s.dim(`namespace ${w.namespace}`)}`);
      const byContainer = groupBy(
        workloadFindings,
        (f) => `${f.container.type}\u0000${f.container.name}\u0000${f.image.raw}`,
      );
      for (const containerFindings of byContainer.values()) {
        const c = containerFindings[0] as Finding;
        const type = c.container.type === 'container' ? 'container' : `${c.container.type} container`;
        const pull = `${c.pullPolicy.effective}${c.pullPolicy.declared === undefined ? ', defaulted' : ''}`;
        lines.push(`    ${type} ${c.container.name}  ${c.image.raw}  ${s.dim(`pull ${pull}`)}`);
        for (const f of containerFindings) {
          const where = f.location ? `${f.location.line}:${f.location.column}` : '';
          const exempt = f.exemption
            ? ` (exemption ${f.exemption.status}${f.exemption.expires ? `, expires ${f.exemption.expires}` : ''})`
            : '';
          lines.push(`      ${badge(f, s)} ${s.bold(f.rule)}  ${s.dim(`${where} [${f.policy}]${exempt}`)}`);
          for (const line of wrap(f.message, 90)) lines.push(`             ${line}`);
        }
      }
    }
    lines.push('');
  }
  const hints = new Map<string, string>();
  for (const f of result.report.findings) if (f.hint && !hints.has(f.rule)) hints.set(f.rule, f.hint);
  if (hints.size > 0) {
    lines.push(s.bold('How to fix'));
    for (const [rule, hint] of hints) lines.push(`  ${rule}: ${hint}`);
    lines.push('');
  }
  return `${lines.map((line) => `${line}\n`).join('')}${summaryBlock(result, s)}`;
};
