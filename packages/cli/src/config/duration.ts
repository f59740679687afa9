/**
 * Durations as flags write them: `250ms`, `5s`, `10m`, `1h`, or a number of milliseconds.
 * No engine import: program.ts validates flags before any command is loaded.
 */
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export const DURATION_EXPECTED = 'a duration like 500ms, 5s or 10m';

/** The duration in ms, or undefined when `text` is not a positive duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Math.round(Number(match[1]) * UNIT_MS[match[2] ?? 'ms']!);
  // Node's timers hold at most 2^31 - 1 ms; a longer one silently fires after 1 ms.
  return ms > 0 && ms <= 2_147_483_647 ? ms : undefined;
}
