/**
 * cacheHitVsMapGet: one result-cache hit / one `Map.get`, with the same keys. The engine's result
 * cache is reached through its public factory (see lib/pullguard.mjs); keys are the ones a real
 * evaluation produces.
 */
import { Unavailable } from '../lib/pullguard.mjs';

export const keys = ['cacheHitVsMapGet'];

export async function run() {
  throw new Unavailable('the engine does not export its result cache yet');
}
