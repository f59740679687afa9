import { setTimeout as sleep } from 'node:timers/promises';
import { emit, type RegistryListener, type RegistryRequestEvent } from './events.js';
import { failure, transportFailure } from './failure.js';
import type { HostLimiter } from './host-limiter.js';
import { parseRateLimitRemaining, parseRetryAfter } from './rate-limit.js';
import {
  type Transport,
  TransportError,
  type TransportRequest,
  type TransportResponse,
} from './transport.js';

/** One lookup's budget: every exchange, retry and wait of the lookup shares it. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** `performance.now()` when the budget runs out. */
  readonly at: number;
  readonly timeoutMs: number;
}

export interface Exchange {
  readonly registry: string;
  readonly purpose: RegistryRequestEvent['purpose'];
  readonly method: TransportRequest['method'];
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
  readonly maxBodyBytes: number;
}

/** When a 429 names no `Retry-After`, wait this long (if the deadline allows) before the one retry. */
const DEFAULT_RETRY_AFTER_MS = 1000;

/**
 * Exchanges with retries as an HTTP client of a registry should make them: HEAD and GET are
 * idempotent (RFC 9110 §9.2.2), so one retry after a connection reset or a 5xx; a 429 waits out
 * `Retry-After` when the deadline allows it, once. Every attempt is reported to the listener, with
 * Docker Hub's `ratelimit-remaining` when the response carries it. A transport error becomes a
 * LookupFailure here, the one place that knows the host.
 */
export class RegistryHttp {
  constructor(
    private readonly transport: Transport,
    private readonly limiter: HostLimiter,
    private readonly listener: RegistryListener | undefined,
  ) {}

  async send(exchange: Exchange, deadline: Deadline): Promise<TransportResponse> {
    const host = exchange.url.host;
    let retried = false;
    let waitedForRateLimit = false;
    for (;;) {
      let response: TransportResponse;
      try {
        response = await this.#attempt(exchange, deadline);
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        if (error.code === 'reset' && !retried && !deadline.signal.aborted) {
          retried = true;
          continue;
        }
        throw transportFailure(error, host, deadline.timeoutMs);
      }
      if (response.status >= 500 && !retried) {
        retried = true;
        continue;
      }
      if (response.status === 429 && !waitedForRateLimit) {
        waitedForRateLimit = true;
        const wait = parseRetryAfter(response.headers['retry-after'], Date.now()) ?? DEFAULT_RETRY_AFTER_MS;
        if (wait < deadline.at - performance.now()) {
          try {
            await sleep(wait, undefined, { signal: deadline.signal });
          } catch {
            throw failure(
              'timeout',
              host,
              `${host} asked to wait ${Math.ceil(wait / 1000)} s (429) and the lookup's deadline passed first`,
              `raise --registry-timeout (now ${deadline.timeoutMs} ms) or retry later`,
            );
          }
          continue;
        }
      }
      return response;
    }
  }

  async #attempt(exchange: Exchange, deadline: Deadline): Promise<TransportResponse> {
    const host = exchange.url.host;
    const started = performance.now();
    const report = (status: number | undefined, code: string) =>
      emit(this.listener, 'request', {
        registry: exchange.registry,
        host,
        method: exchange.method,
        purpose: exchange.purpose,
        status,
        code,
        durationMs: performance.now() - started,
      });
    try {
      const response = await this.limiter.run(host, deadline.signal, () =>
        this.transport.request({
          method: exchange.method,
          url: exchange.url,
          headers: exchange.headers,
          body: exchange.body,
          signal: deadline.signal,
          maxBodyBytes: exchange.maxBodyBytes,
        }),
      );
      report(response.status, String(response.status));
      const rate = parseRateLimitRemaining(response.headers['ratelimit-remaining']);
      if (rate) emit(this.listener, 'rateLimit', { registry: exchange.registry, host, ...rate });
      return response;
    } catch (error) {
      const transportError =
        error instanceof TransportError
          ? error
          : new TransportError(deadline.signal.aborted ? 'aborted' : 'network', String(error));
      report(undefined, transportError.code);
      throw transportError;
    }
  }
}
