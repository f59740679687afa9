import { describe, expect, it } from 'vitest';
import { fakeTransport, response } from '../test/fake-transport.js';
import type { RegistryRateLimitEvent, RegistryRequestEvent } from './events.js';
import { LookupFailure } from './failure.js';
import { HostLimiter } from './host-limiter.js';
import { type Deadline, type Exchange, RegistryHttp } from './registry-http.js';
import { TransportError } from './transport.js';

const exchange: Exchange = {
  registry: 'docker.io',
  purpose: 'manifest',
  method: 'HEAD',
  url: new URL('https://registry-1.docker.io/v2/library/nginx/manifests/1'),
  headers: {},
  maxBodyBytes: 1024,
};

function deadline(ms: number): Deadline {
  return { signal: AbortSignal.timeout(ms), at: performance.now() + ms, timeoutMs: ms };
}

function client(respond: Parameters<typeof fakeTransport>[0]) {
  const transport = fakeTransport(respond);
  const requests: RegistryRequestEvent[] = [];
  const rates: RegistryRateLimitEvent[] = [];
  const http = new RegistryHttp(transport, new HostLimiter(4), {
    request: (event) => requests.push(event),
    rateLimit: (event) => rates.push(event),
  });
  return { http, transport, requests, rates };
}

async function failureOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LookupFailure);
  return (error as LookupFailure).failure;
}

describe('RegistryHttp', () => {
  it('retries once after a connection reset, then reports the host unreachable', async () => {
    const { http, transport, requests } = client(() => {
      throw new TransportError('reset', 'read ECONNRESET');
    });
    const failure = await failureOf(http.send(exchange, deadline(1000)));
    expect(failure).toMatchObject({ kind: 'unreachable', host: 'registry-1.docker.io' });
    expect(transport.requests).toHaveLength(2);
    expect(requests.map((event) => event.code)).toEqual(['reset', 'reset']);
  });

  it('retries a 5xx once and returns the second answer', async () => {
    const { http, transport } = client((_, index) => response(index === 0 ? 503 : 200));
    expect((await http.send(exchange, deadline(1000))).status).toBe(200);
    expect(transport.requests).toHaveLength(2);
  });

  it('does not retry a refused connection or a 404', async () => {
    const refused = client(() => {
      throw new TransportError('refused', 'connect ECONNREFUSED');
    });
    expect(await failureOf(refused.http.send(exchange, deadline(1000)))).toMatchObject({
      kind: 'unreachable',
    });
    expect(refused.transport.requests).toHaveLength(1);
    const missing = client(() => response(404));
    expect((await missing.http.send(exchange, deadline(1000))).status).toBe(404);
    expect(missing.transport.requests).toHaveLength(1);
  });

  it('waits out a 429 Retry-After that fits the deadline, once', async () => {
    const { http, transport } = client((_, index) =>
      response(index === 0 ? 429 : 200, { 'retry-after': '0' }),
    );
    expect((await http.send(exchange, deadline(1000))).status).toBe(200);
    expect(transport.requests).toHaveLength(2);
  });

  it('answers a 429 at once when Retry-After is beyond the deadline', async () => {
    const { http, transport } = client(() => response(429, { 'retry-after': '60' }));
    expect((await http.send(exchange, deadline(500))).status).toBe(429);
    expect(transport.requests).toHaveLength(1);
  });

  it('reports each attempt and Docker Hub ratelimit-remaining to the listener', async () => {
    const { http, requests, rates } = client(() => response(200, { 'ratelimit-remaining': '76;w=21600' }));
    await http.send(exchange, deadline(1000));
    expect(requests).toMatchObject([
      {
        registry: 'docker.io',
        host: 'registry-1.docker.io',
        method: 'HEAD',
        purpose: 'manifest',
        status: 200,
        code: '200',
      },
    ]);
    expect(requests[0]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(rates).toEqual([
      { registry: 'docker.io', host: 'registry-1.docker.io', remaining: 76, windowSeconds: 21600 },
    ]);
  });

  it('turns an aborted exchange into a timeout naming the host and the flag', async () => {
    const { http } = client(() => {
      throw new TransportError('aborted', 'The operation was aborted');
    });
    const failure = await failureOf(http.send(exchange, deadline(1000)));
    expect(failure).toMatchObject({ kind: 'timeout', host: 'registry-1.docker.io' });
    expect(failure.hint).toContain('--registry-timeout');
  });
});

describe('HostLimiter', () => {
  it('runs at most N tasks per host at once, in arrival order, and lets an aborted waiter go', async () => {
    const limiter = new HostLimiter(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (id: number) => async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(id);
      active--;
      return id;
    };
    const never = new AbortController();
    const aborted = new AbortController();
    const runs = [1, 2, 3, 4, 5].map((id) =>
      limiter
        .run('h', id === 4 ? aborted.signal : never.signal, task(id))
        .catch((error: Error) => error.name),
    );
    aborted.abort();
    expect(await Promise.all(runs)).toEqual([1, 2, 3, 'TransportError', 5]);
    expect(peak).toBe(2);
    expect(order).toEqual([1, 2, 3, 5]);
    // Another host is not held up by this one.
    expect(await limiter.run('other', never.signal, async () => 'free')).toBe('free');
  });
});
