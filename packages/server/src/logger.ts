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
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['authorization', '*.authorization', 'adminToken', '*.adminToken', 'token'],
        censor: '[redacted]',
      },
    },
    // Asynchronous writes keep logging off the request path; `close()` flushes.
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** A logger that writes nothing (tests, benchmarks, embedding without logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
