// @ts-check
/**
 * Asks an internal allowlist service whether an image may run: `GET <url>?image=<reference>`
 * answers `{"allowed": true}` or `{"allowed": false, "reason": "…"}`.
 *
 *   - rule: allowlist/approved
 *     with: { url: http://allowlist.platform.svc/v1/check, ttlSeconds: 300, timeoutMs: 300 }
 *
 * The answer depends on the service, not only on the facts, so the rule is `deterministic: false`
 * (the engine never caches its results); the plugin keeps its own bounded cache with a time to live
 * instead, read through the engine's injected clock (`ctx.now`). A service that fails, answers
 * garbage or is slower than `timeoutMs` makes the rule throw: the engine reports a finding with
 * status `error`, and the entry's action decides whether that blocks.
 */
import { definePlugin, defineRule } from '@pullguard/sdk';

/** Answers larger than this are not an allowlist answer. */
const MAX_ANSWER_CHARS = 16 * 1024;

/**
 * @typedef {{ allowed: boolean, reason: string | undefined }} Answer
 * @typedef {{ answer: Answer, expiresAt: number }} CacheEntry
 */

/**
 * A plugin instance with its own cache (no module-level state: two engines, two caches).
 * @param {{ maxEntries?: number, fetch?: typeof globalThis.fetch }} [config]
 */
export function createAllowlistPlugin(config = {}) {
  const maxEntries = config.maxEntries ?? 1000;
  const fetchImpl = config.fetch ?? globalThis.fetch;
  // #region cache
  /** @type {Map<string, CacheEntry>} insertion order = age: the first key is evicted first. */
  const cache = new Map();
  /** @type {Map<string, Promise<Answer>>} concurrent checks of one image share one request. */
  const inFlight = new Map();
  // #endregion cache

  /**
   * @param {string} url
   * @param {string} reference
   * @param {number} timeoutMs
   * @param {AbortSignal} signal
   * @returns {Promise<Answer>}
   */
  async function ask(url, reference, timeoutMs, signal) {
    const query = new URL(url);
    query.searchParams.set('image', reference);
    const response = await fetchImpl(query, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      headers: { accept: 'application/json' },
    }).catch((error) => {
      const why =
        error?.name === 'TimeoutError'
          ? `did not answer within ${timeoutMs} ms`
          : String(error?.message ?? error);
      throw new Error(`allowlist service ${query.origin}: ${why}`);
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`allowlist service ${query.origin} answered HTTP ${response.status}`);
    if (text.length > MAX_ANSWER_CHARS)
      throw new Error(`allowlist service ${query.origin} answered too much`);
    const body = parse(text);
    if (typeof body?.allowed !== 'boolean') {
      throw new Error(`allowlist service ${query.origin} answered without a boolean "allowed"`);
    }
    return { allowed: body.allowed, reason: typeof body.reason === 'string' ? body.reason : undefined };
  }

  // #region cache
  /**
   * @param {string} key
   * @param {CacheEntry} entry
   */
  function remember(key, entry) {
    cache.delete(key);
    cache.set(key, entry);
    for (const oldest of cache.keys()) {
      if (cache.size <= maxEntries) break;
      cache.delete(oldest);
    }
  }
  // #endregion cache

  const approved = defineRule({
    id: 'allowlist/approved',
    description: 'Images are approved by the internal allowlist service',
    hint: 'Request approval for the image in the allowlist service.',
    defaultAction: 'deny',
    deterministic: false,
    reads: ['image'],
    options: {
      type: 'object',
      properties: {
        url: { type: 'string', pattern: '^https?://' },
        ttlSeconds: { type: 'integer', minimum: 0, maximum: 86400, default: 300 },
        timeoutMs: { type: 'integer', minimum: 1, maximum: 10000, default: 500 },
      },
      required: ['url'],
      additionalProperties: false,
    },
    prepare: (options) => ({
      url: options.url,
      ttlMs: options.ttlSeconds * 1000,
      timeoutMs: options.timeoutMs,
    }),
    // #region cache
    async check(facts, ctx) {
      if (facts.image.name === null) return;
      const { url, ttlMs, timeoutMs } = ctx.options;
      const reference = `${facts.image.name}${facts.image.tag ? `:${facts.image.tag}` : ''}${facts.image.digest ? `@${facts.image.digest}` : ''}`;
      const key = `${url} ${reference}`;
      let answer = cache.get(key);
      if (answer === undefined || answer.expiresAt <= ctx.now) {
        let pending = inFlight.get(key);
        if (pending === undefined) {
          pending = ask(url, reference, timeoutMs, ctx.signal).finally(() => inFlight.delete(key));
          inFlight.set(key, pending);
        }
        answer = { answer: await pending, expiresAt: ctx.now + ttlMs };
        remember(key, answer);
      }
      if (!answer.answer.allowed) {
        return ctx.fail(
          `image ${reference} is not approved${answer.answer.reason ? `: ${answer.answer.reason}` : ''}`,
        );
      }
    },
    // #endregion cache
  });

  return definePlugin({ name: 'allowlist', version: '1.0.0', rules: [approved] });
}

/**
 * @param {string} text
 * @returns {{ allowed?: unknown, reason?: unknown } | undefined}
 */
function parse(text) {
  try {
    const value = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

export default createAllowlistPlugin();
