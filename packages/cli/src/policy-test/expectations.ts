import type { Finding } from '@pullguard/engine';
import type { ExpectedFinding } from './test-file.js';

export const ACTIONS_FOR_TESTS = ['deny', 'warn', 'audit'] as const;

/** Only the fields an expectation writes are compared. */
export function matchesExpectation(f: Finding, e: ExpectedFinding): boolean {
  return (
    f.rule === e.rule &&
    (e.workload === undefined || `${f.workload.kind}/${f.workload.name}` === e.workload) &&
    (e.container === undefined || f.container.name === e.container) &&
    (e.action === undefined || f.action === e.action) &&
    (e.policy === undefined || f.policy === e.policy) &&
    (e.image === undefined || f.image.raw === e.image)
  );
}

export function describeExpected(e: ExpectedFinding): string {
  return [
    e.action ?? '*',
    e.rule,
    e.workload ?? '*',
    `container ${e.container ?? '*'}`,
    ...(e.policy ? [`policy ${e.policy}`] : []),
    ...(e.image ? [`image ${e.image}`] : []),
  ].join(' ');
}

export function describeActual(f: Finding): string {
  return `${f.action} ${f.rule} ${f.workload.kind}/${f.workload.name} container ${f.container.name} policy ${f.policy} image ${f.image.raw}`;
}

export interface Comparison {
  pass: boolean;
  /** Lines of a diff: `  ` matched, `- ` expected but missing, `+ ` found but not expected. */
  diff: string[];
}

/** Expected and actual findings as multisets: each expectation must match a different finding, and nothing may be left over. */
export function compareFindings(
  expected: readonly ExpectedFinding[],
  actual: readonly Finding[],
): Comparison {
  const unused = [...actual];
  const diff: string[] = [];
  let missing = 0;
  for (const e of expected) {
    const index = unused.findIndex((f) => matchesExpectation(f, e));
    if (index === -1) {
      missing++;
      diff.push(`- ${describeExpected(e)}`);
    } else {
      diff.push(`  ${describeExpected(e)}`);
      unused.splice(index, 1);
    }
  }
  for (const f of unused) diff.push(`+ ${describeActual(f)}`);
  return { pass: missing === 0 && unused.length === 0, diff };
}
