/**
 * Exemptions in CEL. CEL has no clock: an exemption is written into the policy while it is active
 * (expires after `now`, or never) and left out once expired, so the output holds from `now` until
 * the earliest expiry among those it includes — when it must be exported again.
 * An exemption covers an image when its `images` match the image's normalized name (or the raw
 * string, for an image that does not parse), its `namespaces` match the namespace and its
 * `workloads` match `Kind/name` (evaluate/match-exemptions.ts matchExemption; absent = any).
 */
import type { ExemptionSpec } from '@pullguard/engine';
import { parseExpiry } from '@pullguard/engine/internals';
import { allOf, anyOf } from './cel.js';
import { patternSet, refTarget } from './image-patterns.js';
import { globsCondition, NAMESPACE, workloadsCondition } from './scope.js';

export interface ActiveExemptions {
  /** CEL over the ref variable: the image is exempt from the rule. */
  condition(r: string): string;
  /** Some exemption names images: the refs need `mname`. */
  readsNames: boolean;
  hostWildcards: boolean;
  /** The earliest expiry (ms) of the exemptions included; undefined when none expires. */
  validUntil: number | undefined;
}

/** The exemptions of `specs` that name rule instance `id` and are active at `now`. */
export function activeExemptions(specs: readonly ExemptionSpec[], id: string, now: number): ActiveExemptions {
  const active = specs.filter((spec) => {
    if (!spec.rules.includes(id)) return false;
    const expiresAt = spec.expires === undefined ? undefined : parseExpiry(spec.expires);
    return expiresAt === undefined || now < expiresAt;
  });
  const expiries = active
    .map((spec) => (spec.expires === undefined ? undefined : parseExpiry(spec.expires)))
    .filter((t): t is number => t !== undefined);
  const sets = active.map((spec) => (spec.images === undefined ? undefined : patternSet(spec.images)));
  return {
    readsNames: sets.some((s) => s !== undefined),
    hostWildcards: sets.some((s) => s?.hostWildcards === true),
    validUntil: expiries.length === 0 ? undefined : Math.min(...expiries),
    condition(r) {
      return anyOf(
        active.map((spec, i) =>
          allOf([
            sets[i]?.matches(refTarget(r, 'mname')) ?? 'true',
            spec.namespaces === undefined ? 'true' : globsCondition(spec.namespaces, NAMESPACE),
            spec.workloads === undefined ? 'true' : workloadsCondition(spec.workloads),
          ]),
        ),
      );
    },
  };
}
