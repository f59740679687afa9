import { realRegistrySkip } from '@pullguard/registry/test-support';
import type { RegistryListener } from '../src/events.js';

/** Why the real-registry tests skip here, or undefined when they run (never in CI). */
export const skipReason = realRegistrySkip('pullguard/registry');

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** Records every listener event as JSON text, so a test can search all of it for a secret. */
export function recordingListener(): RegistryListener & { events: Array<{ type: string; event: unknown }> } {
  const events: Array<{ type: string; event: unknown }> = [];
  return {
    events,
    request: (event) => events.push({ type: 'request', event }),
    rateLimit: (event) => events.push({ type: 'rateLimit', event }),
    cache: (event) => events.push({ type: 'cache', event }),
  };
}
