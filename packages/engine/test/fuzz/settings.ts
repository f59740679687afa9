/**
 * How long the fuzz suites (engine and server) run. `pnpm test` — the README's test command, so CI
 * — runs a bounded number of inputs per property; `PULLGUARD_FUZZ_SCALE=20 pnpm fuzz` runs twenty
 * times as many, and `PULLGUARD_FUZZ_SEED=<seed>` replays a failure (fast-check prints the seed
 * and the path of the failing input).
 */
import type fc from 'fast-check';

const scale = Number(process.env.PULLGUARD_FUZZ_SCALE ?? '1');
const seed = process.env.PULLGUARD_FUZZ_SEED;

/**
 * The per-input bound that proves "no hang": far above what any input takes (milliseconds), far
 * below forever. It is the only wall-clock assertion of the suites.
 */
export const NO_HANG_MS = 15_000;

const factor = Number.isFinite(scale) && scale > 0 ? scale : 1;

/** fast-check parameters for a property that runs `numRuns` inputs in a normal test run. */
export function fuzzRuns<T>(numRuns: number): fc.Parameters<T> {
  return {
    numRuns: Math.max(1, Math.round(numRuns * factor)),
    ...(seed === undefined ? {} : { seed: Number(seed) }),
    // An asynchronous run that overruns the bound fails the property.
    timeout: NO_HANG_MS,
    // A time budget per property, so that the suite stays bounded on a loaded machine: past it the
    // property stops with the inputs it has run (a failure found by then, shrunk as far as the
    // budget allows, is still reported).
    interruptAfterTimeLimit: PROPERTY_BUDGET_MS * factor,
  };
}

/** How long one property may run in a normal test run (scaled with PULLGUARD_FUZZ_SCALE). */
const PROPERTY_BUDGET_MS = 20_000;

/** A test's own timeout: beyond the property's budget and one more input at its bound. */
export function fuzzTestTimeout(): number {
  return PROPERTY_BUDGET_MS * factor + 2 * NO_HANG_MS;
}

/**
 * Runs `work` and fails if it took longer than NO_HANG_MS: synchronous code cannot be interrupted,
 * so a slow answer is caught when it returns (and a real hang by the test's timeout).
 */
export async function withinBound<T>(what: string, work: () => T | Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  const elapsed = performance.now() - started;
  if (elapsed > NO_HANG_MS)
    throw new Error(`${what} took ${Math.round(elapsed)} ms (bound ${NO_HANG_MS} ms)`);
  return result;
}
