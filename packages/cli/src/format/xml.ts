/** XML text and attribute escaping; characters XML 1.0 forbids are dropped. */
export function escapeXml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('"', '&quot;')
      .replaceAll("'", '&apos;')
  );
}

export interface JunitCase {
  name: string;
  classname: string;
  file?: string | undefined;
  line?: number | undefined;
  failure?: { message: string; type: string; body: string } | undefined;
  skipped?: string | undefined;
  /** Shown as <system-out>: e.g. non-blocking findings of a passing case. */
  output?: string | undefined;
}

export interface JunitSuite {
  name: string;
  cases: readonly JunitCase[];
}

/** The JUnit XML dialect CI systems agree on (Jenkins, GitLab, GitHub test reporters). */
export function renderJunit(name: string, suites: readonly JunitSuite[]): string {
  const count = (s: readonly JunitCase[], pick: (c: JunitCase) => unknown) => s.filter(pick).length;
  const all = suites.flatMap((s) => s.cases);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(name)}" tests="${all.length}" failures="${count(all, (c) => c.failure)}" errors="0" skipped="${count(all, (c) => c.skipped)}">`,
  ];
  for (const suite of suites) {
    out.push(
      `  <testsuite name="${escapeXml(suite.name)}" tests="${suite.cases.length}" failures="${count(suite.cases, (c) => c.failure)}" errors="0" skipped="${count(suite.cases, (c) => c.skipped)}">`,
    );
    for (const c of suite.cases) {
      const attrs = [
        `name="${escapeXml(c.name)}"`,
        `classname="${escapeXml(c.classname)}"`,
        c.file === undefined ? '' : `file="${escapeXml(c.file)}"`,
        c.line === undefined ? '' : `line="${c.line}"`,
      ]
        .filter(Boolean)
        .join(' ');
      if (!c.failure && c.skipped === undefined && c.output === undefined) {
        out.push(`    <testcase ${attrs}/>`);
        continue;
      }
      out.push(`    <testcase ${attrs}>`);
      if (c.failure) {
        out.push(
          `      <failure message="${escapeXml(c.failure.message)}" type="${escapeXml(c.failure.type)}">${escapeXml(c.failure.body)}</failure>`,
        );
      }
      if (c.skipped !== undefined) out.push(`      <skipped message="${escapeXml(c.skipped)}"/>`);
      if (c.output !== undefined) out.push(`      <system-out>${escapeXml(c.output)}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
