import type { Diagnostic, Finding } from '@pullguard/engine';
import { type CheckFormatter, displayPath, isBlocking } from './check-result.js';
import { type JunitCase, type JunitSuite, renderJunit } from './xml.js';

/**
 * `--format junit`: one suite per file, one test case per workload × governing rule. A case fails
 * when the rule has a blocking finding for the workload (per `--fail-on`); non-blocking findings
 * (warnings, audits, exempted) are kept as the case's output. Load errors form their own suite.
 */
export const formatJunit: CheckFormatter = (result, ctx) => {
  const suites = new Map<string, Map<string, JunitCase & { findings: Finding[] }>>();
  const caseFor = (
    file: string | undefined,
    kind: string,
    name: string,
    namespace: string,
    rule: string,
    line?: number,
  ) => {
    const suiteName = displayPath(file, ctx.cwd);
    let suite = suites.get(suiteName);
    if (!suite) {
      suite = new Map();
      suites.set(suiteName, suite);
    }
    const key = `${namespace}\u0000${kind}\u0000${name}\u0000${rule}`;
    let c = suite.get(key);
    if (!c) {
      c = {
        name: `${kind}/${name} ${rule}`,
        classname: `${namespace}.${kind}.${name}`,
        file: suiteName,
        line,
        findings: [],
      };
      suite.set(key, c);
    }
    return c;
  };
  for (const w of result.workloads) {
    for (const id of new Set(w.rules.map((r) => r.id)))
      caseFor(w.file, w.kind, w.name, w.namespace, id, w.location?.line);
  }
  for (const f of result.report.findings) {
    caseFor(
      f.location?.file,
      f.workload.kind,
      f.workload.name,
      f.namespace,
      f.rule,
      f.location?.line,
    ).findings.push(f);
  }
  const describe = (f: Finding) =>
    `${f.action}${f.exemption ? ` (exemption ${f.exemption.status})` : ''} container ${f.container.name} image ${f.image.raw}: ${f.message}`;
  const out: JunitSuite[] = [...suites].map(([name, cases]) => ({
    name,
    cases: [...cases.values()].map(({ findings, ...c }) => {
      const blocking = findings.filter((f) => isBlocking(f, result.failOn));
      const other = findings.filter((f) => !isBlocking(f, result.failOn));
      const first = blocking[0];
      return {
        ...c,
        failure: first
          ? { message: first.message, type: first.action, body: blocking.map(describe).join('\n') }
          : undefined,
        output: other.length > 0 ? other.map(describe).join('\n') : undefined,
      };
    }),
  }));
  const diagnosticCase = (d: Diagnostic, classname: string) => ({
    name: `${displayPath(d.location?.file, ctx.cwd)}:${d.location?.line ?? 0}:${d.location?.column ?? 0}`,
    classname,
    file: d.location ? displayPath(d.location.file, ctx.cwd) : undefined,
    line: d.location?.line,
  });
  if (result.report.errors.length > 0) {
    out.push({
      name: 'load errors',
      cases: result.report.errors.map((d) => ({
        ...diagnosticCase(d, 'pullguard.load'),
        failure: { message: d.message, type: d.code, body: d.message },
      })),
    });
  }
  // What could not be judged (a namespaceSelector without labels, kinds not read…): skipped, so
  // that test dashboards show it instead of a green run that says nothing.
  if (result.report.warnings.length > 0) {
    out.push({
      name: 'warnings',
      cases: result.report.warnings.map((d) => ({
        ...diagnosticCase(d, 'pullguard.warning'),
        skipped: `${d.code} ${d.message}`,
      })),
    });
  }
  return renderJunit('pullguard check', out);
};
