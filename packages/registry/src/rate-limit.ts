/**
 * Docker Hub's pull-rate headers (docs.docker.com "Docker Hub usage and limits"):
 * `ratelimit-limit: 100;w=21600` and `ratelimit-remaining: 76;w=21600` — a count, then the window
 * in seconds (the IETF RateLimit header draft's quota-policy form). Only GETs of manifests count
 * against the limit; a HEAD reports the remaining count without spending one.
 */
export interface RateLimitRemaining {
  readonly remaining: number;
  /** The window in seconds, when the header names one. */
  readonly windowSeconds?: number | undefined;
}

/** Undefined when the header is absent or not in the `N[;w=SECONDS]` form. */
export function parseRateLimitRemaining(header: string | undefined): RateLimitRemaining | undefined {
  if (header === undefined) return undefined;
  const [count, ...params] = header.split(';');
  const remaining = wholeNumber(count);
  if (remaining === undefined) return undefined;
  for (const param of params) {
    const [name, value] = param.split('=');
    if (name?.trim().toLowerCase() === 'w') {
      const windowSeconds = wholeNumber(value);
      if (windowSeconds !== undefined) return { remaining, windowSeconds };
    }
  }
  return { remaining };
}

/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Milliseconds from `now`, never
 * negative; undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | undefined, now: number): number | undefined {
  if (header === undefined) return undefined;
  const seconds = wholeNumber(header);
  if (seconds !== undefined) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function wholeNumber(text: string | undefined): number | undefined {
  const trimmed = text?.trim();
  return trimmed !== undefined && /^\d{1,12}$/.test(trimmed) ? Number(trimmed) : undefined;
}
