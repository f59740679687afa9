import { registryUnavailable } from '@pullguard/registry/test-support';
import type { RegistryListener } from '../src/events.js';

/**
 * Why the real-registry tests skip here (printed once, visibly), or undefined when they run. In CI
 * they never skip: `.ci/run` installs the registry, so a missing one must fail the run.
 */
export const skipReason = process.env.CI ? undefined : registryUnavailable();
if (skipReason) console.warn(`[pullguard/registry] SKIPPING real-registry tests: ${skipReason}`);

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
