import type { RequestHandler } from 'express';
import type { Logger } from '../logger.js';
import type { ServerMetrics } from '../metrics.js';

/**
 * One log line and one histogram observation per request, when it closes: route (the pattern, not
 * the path, so metrics stay low-cardinality), status, duration, and the verdict handlers leave
 * in `res.locals`. Headers are never logged.
 */
export function requestLog(logger: Logger, metrics: ServerMetrics): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    // 'close' fires for finished and for aborted responses alike.
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const route: string = req.route?.path ?? 'unmatched';
      metrics.observeRequest(route, req.method, res.statusCode, seconds);
      if (!logger.isLevelEnabled('info')) return;
      const line: Record<string, unknown> = {
        method: req.method,
        route,
        status: res.statusCode,
        durationMs: Math.round(seconds * 1e6) / 1e3,
      };
      if (res.locals['verdict'] !== undefined) line['verdict'] = res.locals['verdict'];
      if (res.locals['uid'] !== undefined) line['uid'] = res.locals['uid'];
      logger.info(line, 'request');
    });
    next();
  };
}
