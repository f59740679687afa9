import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The bytes the JavaScript heap holds after a full garbage collection: what is still reachable. */
function retainedHeapBytes(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

/**
 * The megabytes `work` leaves reachable once it is done (garbage collected before and after): for
 * specs that a memo's memory stays what its entries need (docs/performance-invariants.md).
 */
export function megabytesRetainedBy(work: () => void): number {
  const before = retainedHeapBytes();
  work();
  return (retainedHeapBytes() - before) / 2 ** 20;
}

/** `count` distinct image references, as many as make a memo's tables about a megabyte at 20,000. */
export const imageNames = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => `registry.acme.io/app-${i}:1`);
