import { describe, expect, it } from 'vitest';
import { parseRateLimitRemaining, parseRetryAfter } from './rate-limit.js';

describe("Docker Hub's ratelimit-remaining", () => {
  it('reads the count and the window', () => {
    expect(parseRateLimitRemaining('76;w=21600')).toEqual({ remaining: 76, windowSeconds: 21600 });
    expect(parseRateLimitRemaining(' 0 ; w=21600')).toEqual({ remaining: 0, windowSeconds: 21600 });
    expect(parseRateLimitRemaining('100')).toEqual({ remaining: 100 });
  });
  it('ignores what is not that form', () => {
    expect(parseRateLimitRemaining(undefined)).toBeUndefined();
    expect(parseRateLimitRemaining('many')).toBeUndefined();
    expect(parseRateLimitRemaining('-1;w=1')).toBeUndefined();
  });
});

describe('Retry-After (RFC 9110 §10.2.3)', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delay-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
