import { describe, expect, it } from 'vitest';
import { context, sampleResult } from './__fixtures__/sample-result.js';
import { style } from './ansi.js';
import { formatTable, summaryLine } from './table.js';

describe('table', () => {
  const out = formatTable(sampleResult(), context);

  it('groups findings by file, then workload, then container', () => {
    const lines = out.split('\n');
    const file = lines.indexOf('k8s/web.yaml');
    expect(file).toBeGreaterThanOrEqual(0);
    expect(lines[file + 1]).toBe('  Deployment/web namespace shop');
    expect(lines[file + 2]).toBe('    container web  nginx:latest  pull Always, defaulted');
    expect(lines[file + 3]).toBe('      deny   disallow-latest  12:18 [baseline]');
    expect(lines[file + 4]).toBe('             nginx:latest uses the tag "latest"');
    expect(lines[file + 5]).toBe('      warn   require-explicit-pull-policy  12:18 [baseline]');
  });

  it('marks exempted findings and names the container type', () => {
    expect(out).toContain('    init container sh  busybox');
    expect(out).toContain(
      '      exempt disallow-latest  3:5 [baseline] (exemption active, expires 2099-01-01)\n             busybox has no tag: 100% latest\n             second line\n',
    );
  });

  it('ends with one hint per rule, the findings per rule and a summary line', () => {
    expect(out).toContain(
      'How to fix\n  disallow-latest: Use a version tag.\n  require-explicit-pull-policy: Set imagePullPolicy.\n',
    );
    expect(out.trimEnd().split('\n').slice(-4)).toEqual([
      'Findings by rule',
      '  disallow-latest               1 deny, 1 exempted',
      '  require-explicit-pull-policy  1 warn',
      '✖ 1 blocking finding (2 deny, 1 warn, 0 audit, 1 exempted) in 3 files, 2 workloads, 2 images; 1 error (see stderr)',
    ]);
  });

  it('says nothing was checked when no workload was read: an error, or nothing to check (--allow-empty)', () => {
    const empty = sampleResult();
    empty.report.findings = [];
    empty.report.summary.workloads = 0;
    expect(summaryLine({ ...empty, blocking: 0 }, style(false))).toMatch(/^✖ nothing checked /);
    empty.report.summary.errors = 0;
    expect(summaryLine({ ...empty, blocking: 0 }, style(false))).toMatch(/^✔ nothing to check /);
  });

  it('uses no escape codes without color, and some with it', () => {
    expect(out).not.toContain('\u001b[');
    expect(formatTable(sampleResult(), { ...context, color: true })).toContain('\u001b[31m');
  });

  it('says so when nothing blocks, unless some input could not be read', () => {
    const result = sampleResult({ failOn: 'never' });
    expect(formatTable(result, context)).toContain('✖ no blocking findings in what could be read');
    result.report.errors = [];
    result.report.summary.errors = 0;
    expect(formatTable(result, context)).toContain('✔ no blocking findings');
  });
});
