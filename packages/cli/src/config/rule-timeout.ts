/**
 * `ruleTimeoutMs` (config) and `--rule-timeout` (flag): how long an async rule may run. Node's
 * timers hold at most 2^31 - 1 ms; a larger delay silently becomes 1 ms, so it is refused here.
 * No engine import: program.ts validates the flag before any command is loaded.
 */
export const RULE_TIMEOUT_MAX_MS = 2_147_483_647;

export const RULE_TIMEOUT_EXPECTED = `a whole number of milliseconds from 1 to ${RULE_TIMEOUT_MAX_MS}`;

export function isRuleTimeout(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= RULE_TIMEOUT_MAX_MS;
}

/** The flag's text → ms, or undefined when it is not a valid timeout. */
export function parseRuleTimeout(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return isRuleTimeout(value) ? value : undefined;
}
