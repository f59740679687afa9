/**
 * Exemptions on findings: an active exemption keeps the finding but makes it non-blocking; an
 * expired one no longer applies and the finding says so; one that expires within 14 days is
 * reported once as a warning, so owners renew or fix it before CI or admission starts failing.
 */
import type { Diagnostic } from '../errors.js';
import { exemptionStatus } from '../policy/compile-exemptions.js';
import type { CompiledExemption } from '../policy/compiled-policy.js';
import type { AppliedExemption, ExtractedImage } from '../types.js';

export interface ExemptionMatch {
  exemption: CompiledExemption;
  active: boolean;
}

/** The exemption covering this image, preferring an active one to an expired one. */
export function matchExemption(
  exemptions: readonly CompiledExemption[],
  image: ExtractedImage,
  namespace: string,
  now: number,
): ExemptionMatch | undefined {
  let expired: CompiledExemption | undefined;
  const name = image.reference?.name ?? image.raw;
  for (const exemption of exemptions) {
    if (
      !exemption.matchesImage(name) ||
      !exemption.matchesNamespace(namespace) ||
      !exemption.matchesWorkload(image.workload.kind, image.workload.name)
    ) {
      continue;
    }
    if (exemption.expiresAt === undefined || now < exemption.expiresAt) return { exemption, active: true };
    expired ??= exemption;
  }
  return expired === undefined ? undefined : { exemption: expired, active: false };
}

export function appliedExemption({ exemption, active }: ExemptionMatch): AppliedExemption {
  return {
    status: active ? 'active' : 'expired',
    owner: exemption.owner,
    reason: exemption.reason,
    expires: exemption.expires,
    location: exemption.location,
  };
}

export function expiredNote(exemption: CompiledExemption): string {
  const owner = exemption.owner === undefined ? '' : ` (owner: ${exemption.owner})`;
  return `an exemption${owner} covered this finding until it expired on ${exemption.expires}; it blocks again`;
}

/** Active but ending within 14 days (EXPIRING_WITHIN_MS of the policy compiler). */
export function isExpiringSoon(exemption: CompiledExemption, now: number): boolean {
  return exemptionStatus(exemption, now) === 'expiring';
}

export function expiringWarning(exemption: CompiledExemption, now: number): Diagnostic {
  const days = Math.ceil(((exemption.expiresAt ?? now) - now) / (24 * 60 * 60 * 1000));
  const owner = exemption.owner === undefined ? '' : ` (owner: ${exemption.owner})`;
  return {
    code: 'EXEMPTION_EXPIRING',
    message: `the exemption for ${exemption.rules.join(', ')}${owner} expires on ${exemption.expires}, in ${days} day${days === 1 ? '' : 's'}: the findings it covers will block after that`,
    location: exemption.location,
    severity: 'warning',
  };
}
