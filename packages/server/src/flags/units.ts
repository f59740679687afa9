/**
 * Parsers for flag values. Each returns the value or throws an Error whose message says what was
 * expected; the flag readers add the flag's name (FlagError).
 */

/** Node's timers hold at most 2^31 - 1 ms; a longer delay silently becomes 1 ms. */
export const MAX_TIMER_MS = 2_147_483_647;

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `250ms`, `10s`, `1.5m`, `1h`, or a plain number of milliseconds; more than 0, at most MAX_TIMER_MS. */
export function duration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) throw new Error(`expected a duration like 500ms, 10s or 5m, got "${value}"`);
  const ms = Math.round(Number(m[1]) * DURATION_UNITS[m[2] ?? 'ms']!);
  if (ms <= 0) throw new Error('must be more than 0');
  if (ms > MAX_TIMER_MS) throw new Error(`must be at most ${MAX_TIMER_MS} ms (about 24 days)`);
  return ms;
}

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1000, kib: 1024, mb: 1000 ** 2, mib: 1024 ** 2 };

/** `3MiB`, `512kb`, or a plain number of bytes. */
export function size(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib)?$/i.exec(value.trim());
  if (!m) throw new Error(`expected a size like 3MiB or 512KiB, got "${value}"`);
  const bytes = Math.floor(Number(m[1]) * SIZE_UNITS[(m[2] ?? 'b').toLowerCase()]!);
  if (bytes <= 0) throw new Error('must be more than 0');
  return bytes;
}

/** A parser for whole numbers from `min` to `max`. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new Error(`expected an integer from ${min} to ${max}, got "${value}"`);
    }
    return Number(value);
  };
}

/** A parser accepting exactly one of `choices`. */
export function oneOf<const C extends readonly string[]>(choices: C): (value: string) => C[number] {
  return (value) => {
    if (!choices.includes(value)) {
      throw new Error(`expected ${choices.map((c) => `"${c}"`).join(' or ')}, got "${value}"`);
    }
    return value as C[number];
  };
}

/** A non-empty string (a path, a host). */
export function text(value: string): string {
  if (value.trim() === '') throw new Error('must not be empty');
  return value;
}
