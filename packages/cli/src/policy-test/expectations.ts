import type { Finding, ImageFix } from '@pullguard/engine';
import type { ExpectedFinding, ExpectedMutation } from './test-file.js';

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

/** A mutation of the report, with the finding that asked for it (for its workload and container). */
export interface ActualMutation {
  fix: ImageFix;
  finding: Finding;
}

export function matchesMutation({ fix, finding }: ActualMutation, e: ExpectedMutation): boolean {
  return (
    fix.field === e.field &&
    fix.value === e.value &&
    (e.workload === undefined || `${finding.workload.kind}/${finding.workload.name}` === e.workload) &&
    (e.container === undefined || finding.container.name === e.container)
  );
}

export function describeExpectedMutation(e: ExpectedMutation): string {
  return `set ${e.field} ${e.value} ${e.workload ?? '*'} container ${e.container ?? '*'}`;
}

export function describeActualMutation({ fix, finding }: ActualMutation): string {
  return `set ${fix.field} ${fix.value} ${finding.workload.kind}/${finding.workload.name} container ${finding.container.name} (${fix.rule})`;
}

export interface Comparison {
  pass: boolean;
  /** Lines of a diff: `  ` matched, `- ` expected but missing, `+ ` found but not expected. */
  diff: string[];
}

/** Expected and actual as multisets: each expectation must match a different item, and nothing may be left over. */
function compare<E, A>(
  expected: readonly E[],
  actual: readonly A[],
  matches: (a: A, e: E) => boolean,
  showExpected: (e: E) => string,
  showActual: (a: A) => string,
): Comparison {
  const unused = [...actual];
  const diff: string[] = [];
  let missing = 0;
  for (const e of expected) {
    const index = unused.findIndex((a) => matches(a, e));
    if (index === -1) {
      missing++;
      diff.push(`- ${showExpected(e)}`);
    } else {
      diff.push(`  ${showExpected(e)}`);
      unused.splice(index, 1);
    }
  }
  for (const a of unused) diff.push(`+ ${showActual(a)}`);
  return { pass: missing === 0 && unused.length === 0, diff };
}

export function compareFindings(
  expected: readonly ExpectedFinding[],
  actual: readonly Finding[],
): Comparison {
  return compare(expected, actual, matchesExpectation, describeExpected, describeActual);
}

export function compareMutations(
  expected: readonly ExpectedMutation[],
  actual: readonly ActualMutation[],
): Comparison {
  return compare(expected, actual, matchesMutation, describeExpectedMutation, describeActualMutation);
}
