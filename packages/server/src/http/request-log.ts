import type { RequestHandler } from 'express';
import type { Logger } from '../logger.js';
import type { ServerMetrics } from '../metrics.js';

/** What one request line says. */
export interface RequestRecord {
  /** The route pattern, not the path, so that metrics stay low-cardinality. */
  route: string;
  method: string;
  status: number;
  seconds: number;
  verdict?: unknown;
  uid?: unknown;
}

/**
 * One log line and one histogram observation per request. Headers are never logged. The line
 * goes through a child logger without redaction: its fields are the fixed ones above, and
 * redaction (a safety net for the other log lines) costs more than the rest of the line.
 */
export function requestRecorder(logger: Logger, metrics: ServerMetrics): (record: RequestRecord) => void {
  const lines = logger.child({}, { redact: [] });
  return ({ route, method, status, seconds, verdict, uid }) => {
    metrics.observeRequest(route, method, status, seconds);
    if (!lines.isLevelEnabled('info')) return;
    const line: Record<string, unknown> = {
      method,
      route,
      status,
      durationMs: Math.round(seconds * 1e6) / 1e3,
    };
    if (verdict !== undefined) line['verdict'] = verdict;
    if (uid !== undefined) line['uid'] = uid;
    lines.info(line, 'request');
  };
}

/**
 * Records every request Express answers when it closes (finished or aborted), with the verdict
 * and uid handlers leave in `res.locals`.
 */
export function requestLog(record: (record: RequestRecord) => void): RequestHandler {
  return (req, res, next) => {
    const start = performance.now();
    // 'close' fires for finished and for aborted responses alike.
    res.once('close', () => {
      record({
        route: req.route?.path ?? 'unmatched',
        method: req.method,
        status: res.statusCode,
        seconds: (performance.now() - start) / 1e3,
        verdict: res.locals['verdict'],
        uid: res.locals['uid'],
      });
    });
    next();
  };
}
