import { relative, sep } from 'node:path';
import type { Clock, Finding, Report, ReportSummary, RuleSummary, SourceLocation } from '@pullguard/engine';
import type { GoverningRule } from '../engine-setup.js';
import { type FailOn, type MinAction, meetsMinAction } from './formats.js';

/**
 * A workload the run saw, kept (without its document) so that JUnit and policy reports can report
 * passing rules too.
 */
export interface WorkloadSeen {
  file: string | undefined;
  apiVersion: string;
  kind: string;
  name: string;
  /** `metadata.uid`, when the input came from a cluster (`kubectl get -o json`). */
  uid: string | undefined;
  namespace: string;
  location: SourceLocation | undefined;
  /** The rule instances that govern the workload's namespace. */
  rules: readonly GoverningRule[];
}

/** Counts of findings as the report's summary counts them (see `countByRule`). */
export type FindingCounts = ReportSummary['findings'];

/** What every `check` formatter receives. */
export interface CheckResult {
  /** The run's report; its findings are those `--min-action` shows, its summary counts them all. */
  report: Report;
  /** How many findings block under `failOn`, shown or not: what the exit code follows. */
  blocking: number;
  /** Every finding counted per rule id, sorted by rule id. */
  ruleCounts: Readonly<Record<string, FindingCounts>>;
  workloads: readonly WorkloadSeen[];
  /** Every rule the engine knows (built-ins and plugins), for SARIF descriptors and hints. */
  rules: readonly RuleSummary[];
  failOn: FailOn;
  /** `--min-action`: the findings shown are of this action or stronger. */
  minAction: MinAction | undefined;
  /** How many input files (or stdin) were read. */
  files: number;
}

export interface FormatContext {
  cwd: string;
  color: boolean;
  /** pullguard's version, for SARIF's tool.driver. */
  version: string;
  /** When the report is made (policy reports' timestamps). */
  clock: Clock;
}

export type CheckFormatter = (result: CheckResult, context: FormatContext) => string;

const BLOCKING_ACTIONS: Record<FailOn, readonly Finding['action'][]> = {
  deny: ['deny'],
  warn: ['deny', 'warn'],
  never: [],
};

/** Blocks the run (exit 1) under `--fail-on`: active exemptions never block, expired ones do. */
export function isBlocking(finding: Finding, failOn: FailOn): boolean {
  return finding.exemption?.status !== 'active' && BLOCKING_ACTIONS[failOn].includes(finding.action);
}

/**
 * The CheckResult of a run's report: blocking findings and per-rule counts over every finding,
 * then the findings narrowed to `minAction` (what the formatters show).
 */
export function buildCheckResult(
  run: Omit<CheckResult, 'blocking' | 'ruleCounts' | 'minAction'>,
  minAction: MinAction | undefined,
): CheckResult {
  const { findings } = run.report;
  return {
    ...run,
    minAction,
    report:
      minAction === undefined
        ? run.report
        : { ...run.report, findings: findings.filter((f) => meetsMinAction(f.action, minAction)) },
    blocking: findings.filter((f) => isBlocking(f, run.failOn)).length,
    ruleCounts: countByRule(findings),
  };
}

/**
 * Findings per rule, counted as the engine counts a report's summary (build-report.ts): an active
 * exemption counts as `exempted` and not under its action; a rule error counts under `errors`
 * and its action.
 */
export function countByRule(findings: readonly Finding[]): Record<string, FindingCounts> {
  const counts = new Map<string, FindingCounts>();
  for (const f of findings) {
    let c = counts.get(f.rule);
    if (!c) {
      c = { deny: 0, warn: 0, audit: 0, exempted: 0, errors: 0 };
      counts.set(f.rule, c);
    }
    if (f.status === 'error') c.errors++;
    if (f.exemption?.status === 'active') c.exempted++;
    else c[f.action]++;
  }
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Paths as people type them: relative to the working directory when inside it, with `/`. */
export function displayPath(file: string | undefined, cwd: string): string {
  if (file === undefined) return '<input>';
  if (file === '<stdin>' || file === '-') return '<stdin>';
  const rel = relative(cwd, file);
  const shown = rel === '' || rel.startsWith('..') ? file : rel;
  return shown.split(sep).join('/');
}

/** displayPath with one path computation per file, not per finding (a run can report thousands). */
export function pathDisplay(cwd: string): (file: string | undefined) => string {
  const shown = new Map<string | undefined, string>();
  return (file) => {
    let path = shown.get(file);
    if (path === undefined) {
      path = displayPath(file, cwd);
      shown.set(file, path);
    }
    return path;
  };
}
