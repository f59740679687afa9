import type { Action } from '@pullguard/engine';

/** Output formats of `pullguard check` (the formatter modules are loaded only when used). */
export const CHECK_FORMATS = ['table', 'compact', 'json', 'sarif', 'junit', 'github'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

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
