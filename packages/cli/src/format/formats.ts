import type { Action } from '@pullguard/engine';

/** Output formats of `pullguard check` (the formatter modules are loaded only when used). */
export const CHECK_FORMATS = [
  'table',
  'compact',
  'json',
  'sarif',
  'junit',
  'github',
  'policyreport',
  'openreports',
] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

/** Formats that report passing rules too, so the run keeps the workloads it saw (without their documents). */
export const FORMATS_WITH_WORKLOADS: ReadonlySet<CheckFormat> = new Set([
  'junit',
  'policyreport',
  'openreports',
]);

/** Output formats of `pullguard drift`. */
export const DRIFT_FORMATS = ['table', 'json', 'policyreport', 'openreports'] as const;
export type DriftFormat = (typeof DRIFT_FORMATS)[number];

/** `--fail-on`: which actions make the exit code 1. */
export const FAIL_ON = ['deny', 'warn', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** `--min-action`: the weakest action a report shows, strongest first. */
export const MIN_ACTION = ['deny', 'warn', 'audit'] as const satisfies readonly Action[];
export type MinAction = (typeof MIN_ACTION)[number];

/** Whether a finding's action is `min` or stronger (deny > warn > audit). */
export function meetsMinAction(action: Action, min: MinAction): boolean {
  return MIN_ACTION.indexOf(action) <= MIN_ACTION.indexOf(min);
}
