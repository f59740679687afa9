/**
 * Assertions on findings that work in any test framework: they throw node's AssertionError with
 * `actual` and `expected` set, which vitest, jest, mocha and node:test all render as a diff.
 * Expectations are partial: only the fields written are compared, so a test says what it means
 * (`{ rule: 'acme/no-busybox', container: 'app' }`) and survives new fields on Finding.
 */
import { AssertionError } from 'node:assert';
import type { Action, ContainerType, Finding } from '@pullguard/engine';

/** A string or a pattern the string must match. */
export type TextExpectation = string | RegExp;

/** A partial finding. Shorthands: `container: 'app'`, `image: 'busybox:1.36'` (raw), `workload: 'Deployment/web'`. */
export interface FindingExpectation {
  rule?: string;
  policy?: string;
  action?: Action;
  status?: Finding['status'];
  message?: TextExpectation;
  hint?: TextExpectation;
  namespace?: string;
  workload?: string | Partial<Finding['workload']>;
  container?: string | { name?: string; type?: ContainerType };
  image?: string | { raw?: TextExpectation; name?: string; tag?: string; digest?: string };
  pullPolicy?: Partial<Finding['pullPolicy']>;
  pointer?: string;
  location?: { file?: string; line?: number; column?: number };
  fix?: Partial<NonNullable<Finding['fix']>>;
  exemption?: Partial<NonNullable<Finding['exemption']>>;
  notes?: TextExpectation[];
}

export interface FindingsAssertion {
  /** Exactly these findings, in the report's order (file, line, column, rule). */
  toMatch(expected: readonly FindingExpectation[]): void;
  /** At least these findings, in any order (each expectation matches a different finding). */
  toInclude(expected: readonly FindingExpectation[]): void;
  /** No findings at all. */
  toBeEmpty(): void;
}

export function expectFindings(findings: readonly Finding[]): FindingsAssertion {
  return {
    toMatch(expected) {
      const differing = expected.flatMap((e, i) => {
        const f = findings[i];
        return f && matches(f, e) ? [] : [i + 1];
      });
      if (findings.length !== expected.length || differing.length > 0) {
        const why =
          findings.length !== expected.length
            ? `expected ${expected.length} finding(s), got ${findings.length}`
            : `finding(s) ${differing.join(', ')} of ${findings.length} do not match`;
        fail(
          why,
          findings.map((f, i) => project(f, expected[i] ?? {})),
          expected.map((e, i) => shown(findings[i], e)),
          'toMatch',
        );
      }
    },
    toInclude(expected) {
      const unused = new Set(findings);
      const missing: FindingExpectation[] = [];
      for (const e of expected) {
        const hit = [...unused].find((f) => matches(f, e));
        if (hit) unused.delete(hit);
        else missing.push(e);
      }
      if (missing.length > 0) {
        fail(
          `${missing.length} expected finding(s) not found among ${findings.length}`,
          findings.map((f) => project(f, missing[0] ?? {})),
          missing.map((e) => shown(undefined, e)),
          'toInclude',
        );
      }
    },
    toBeEmpty() {
      if (findings.length > 0)
        fail(`expected no findings, got ${findings.length}`, findings.map(summary), [], 'toBeEmpty');
    },
  };
}

function fail(message: string, actual: unknown, expected: unknown, operator: string): never {
  throw new AssertionError({ message, actual, expected, operator, stackStartFn: fail });
}

/** Expands the shorthands into the shape of a Finding. */
function normalize(e: FindingExpectation): Record<string, unknown> {
  const out: Record<string, unknown> = { ...e };
  if (typeof e.container === 'string') out['container'] = { name: e.container };
  if (typeof e.image === 'string') out['image'] = { raw: e.image };
  if (typeof e.workload === 'string') {
    const slash = e.workload.indexOf('/');
    out['workload'] = { kind: e.workload.slice(0, slash), name: e.workload.slice(slash + 1) };
  }
  return out;
}

function matches(finding: Finding, e: FindingExpectation): boolean {
  return matchValue(finding, normalize(e));
}

function matchValue(actual: unknown, expected: unknown): boolean {
  if (expected instanceof RegExp) return typeof actual === 'string' && expected.test(actual);
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => matchValue(actual[i], e))
    );
  }
  if (isRecord(expected)) {
    return (
      isRecord(actual) &&
      Object.entries(expected).every(([k, v]) => v === undefined || matchValue(own(actual, k), v))
    );
  }
  return Object.is(actual, expected);
}

/** The finding restricted to the fields an expectation names: what the diff shows on the actual side. */
function project(finding: Finding | undefined, e: FindingExpectation): unknown {
  if (finding === undefined) return undefined;
  const keys = Object.keys(e).length > 0 ? normalize(e) : summaryShape;
  return projectValue(finding, keys);
}

function projectValue(actual: unknown, shape: unknown): unknown {
  if (!isRecord(shape) || shape instanceof RegExp || !isRecord(actual)) return actual;
  return Object.fromEntries(Object.keys(shape).map((k) => [k, projectValue(own(actual, k), shape[k])]));
}

/** The expectation as the diff shows it: leaves that match show the actual value, so only differences stand out. */
function shown(finding: Finding | undefined, e: FindingExpectation): unknown {
  return shownValue(finding, normalize(e));
}

function shownValue(actual: unknown, expected: unknown): unknown {
  if (matchValue(actual, expected)) return actual === undefined ? expected : projectValue(actual, expected);
  if (expected instanceof RegExp) return String(expected);
  if (Array.isArray(expected))
    return expected.map((e, i) => shownValue(Array.isArray(actual) ? actual[i] : undefined, e));
  if (isRecord(expected)) {
    return Object.fromEntries(
      Object.entries(expected).map(([k, v]) => [
        k,
        shownValue(isRecord(actual) ? own(actual, k) : undefined, v),
      ]),
    );
  }
  return expected;
}

const summaryShape = { rule: 1, status: 1, message: 1, container: { name: 1 }, image: { raw: 1 } };

function summary(finding: Finding): unknown {
  return projectValue(finding, summaryShape);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
