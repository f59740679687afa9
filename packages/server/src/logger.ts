import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/**
 * Structured JSON logs. Redaction is a safety net: the server logs chosen fields only and never
 * request headers, so the admin token and Authorization header never reach a log line.
 */
export function createLogger(
  options: { level?: LevelWithSilent | undefined; destination?: DestinationStream | undefined } = {},
): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'pullguard' },
      formatters: { level: (label) => ({ level: label }) },
      timestamp: isoTime(),
      redact: {
        paths: ['authorization', '*.authorization', 'adminToken', '*.adminToken', 'token'],
        censor: '[redacted]',
      },
    },
    // Asynchronous writes keep logging off the request path; `close()` flushes.
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/**
 * pino's `isoTime` (`,"time":"2026-11-25T01:02:03.456Z"`) without formatting a Date for every
 * line (one per request): the text up to the second is made once per second.
 */
export function isoTime(now: () => number = Date.now): () => string {
  let second = Number.NaN;
  let prefix = '';
  return () => {
    const ms = now();
    const s = Math.floor(ms / 1000);
    if (s !== second) {
      second = s;
      prefix = `,"time":"${new Date(s * 1000).toISOString().slice(0, 20)}`;
    }
    const milli = ms - s * 1000;
    return `${prefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z"`;
  };
}

/** A logger that writes nothing (tests, benchmarks, embedding without logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
