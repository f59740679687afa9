/** Fixes as `pullguard fix` and the mutating webhook apply them: one value per field. */
import type { Finding, ImageFix, PullPolicy } from '../types.js';

/** When two rules ask for different values, the stricter one wins: a tag that moves must be re-pulled. */
const STRENGTH: Readonly<Record<PullPolicy, number>> = { Always: 2, IfNotPresent: 1, Never: 0 };

/** True when `fix` should replace `current` (a fix of the same field). */
function stronger(fix: ImageFix, current: ImageFix): boolean {
  // Pins of one image name the same digest (one lookup per evaluation): the first stays.
  if (fix.field === 'image' || fix.field === 'reference') return false;
  return STRENGTH[fix.value as PullPolicy] > STRENGTH[current.value as PullPolicy];
}

/**
 * The fixes of `findings`, merged to one per JSON pointer (`Always` wins over `IfNotPresent`), in
 * the order the fields first appear. Findings under an active exemption are left alone: the
 * exemption says the workload may stay as it is.
 */
export function mergeFixes(findings: readonly Finding[]): ImageFix[] {
  if (findings.length === 0) return [];
  const byPointer = new Map<string, ImageFix>();
  for (const finding of findings) {
    const fix = finding.fix;
    if (fix === undefined || finding.exemption?.status === 'active') continue;
    const key = `${fix.objectIndex}\u0000${fix.pointer}`;
    const current = byPointer.get(key);
    if (current === undefined || stronger(fix, current)) byPointer.set(key, fix);
  }
  return [...byPointer.values()];
}
