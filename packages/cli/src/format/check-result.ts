import { relative, sep } from 'node:path';
import type { Finding, Report, RuleSummary, SourceLocation } from '@pullguard/engine';
import type { FailOn } from './formats.js';

/** A workload the run saw, kept (without its document) so that JUnit can report passing rules too. */
export interface WorkloadSeen {
  file: string | undefined;
  kind: string;
  name: string;
  namespace: string;
  location: SourceLocation | undefined;
  /** Rule instance ids that govern the workload's namespace. */
  rules: readonly string[];
}

/** What every `check` formatter receives. */
export interface CheckResult {
  report: Report;
  workloads: readonly WorkloadSeen[];
  /** Every rule the engine knows (built-ins and plugins), for SARIF descriptors and hints. */
  rules: readonly RuleSummary[];
  failOn: FailOn;
  /** How many input files (or stdin) were read. */
  files: number;
}

export interface FormatContext {
  cwd: string;
  color: boolean;
  /** pullguard's version, for SARIF's tool.driver. */
  version: string;
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

/** Paths as people type them: relative to the working directory when inside it, with `/`. */
export function displayPath(file: string | undefined, cwd: string): string {
  if (file === undefined) return '<input>';
  if (file === '<stdin>' || file === '-') return '<stdin>';
  const rel = relative(cwd, file);
  const shown = rel === '' || rel.startsWith('..') ? file : rel;
  return shown.split(sep).join('/');
}
