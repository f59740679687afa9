import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * The bytes the JavaScript heap holds after a full garbage collection: what is still reachable,
 * garbage aside. For specs that a memo's memory stays bounded by its entries.
 */
export function retainedHeapBytes(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

export const MB = 2 ** 20;
