/**
 * Exemptions: a policy's statement that some rule instances do not block some images,
 * namespaces or workloads, until a date, with an owner and a reason.
 */
import type { ExemptionSpec, PolicyDocument } from '../engine-api.js';
import type { Diagnostic } from '../errors.js';
import { compileImagePatternSet } from '../images/image-pattern-set.js';
import type { CompiledExemption } from './compiled-policy.js';
import { compileAll, compileGlob, compileWorkloadGlob, NAMESPACE_GLOB } from './glob.js';
import { policyDiagnostic } from './policy-diagnostic.js';

/** An exemption that ends within this window is reported as `expiring`. */
export const EXPIRING_WITHIN_MS = 14 * 24 * 60 * 60 * 1000;

export type ExemptionStatus = 'active' | 'expired' | 'expiring';

export function exemptionStatus(
  exemption: Pick<CompiledExemption, 'expiresAt'>,
  now: number,
): ExemptionStatus {
  if (exemption.expiresAt === undefined) return 'active';
  if (now >= exemption.expiresAt) return 'expired';
  return exemption.expiresAt - now <= EXPIRING_WITHIN_MS ? 'expiring' : 'active';
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * The first instant (ms) at which the exemption no longer applies: a date is valid through the
 * end of that day in UTC; a date-time must carry a zone. Undefined when `text` is not a real date.
 */
export function parseExpiry(text: string): number | undefined {
  const dateOnly = DATE.exec(text);
  const match = dateOnly ?? DATE_TIME.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.UTC rolls 2027-02-30 over to March: a real date survives the round trip.
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return undefined;
  }
  if (dateOnly) return Date.UTC(year, month - 1, day + 1);
  const instant = Date.parse(text);
  return Number.isNaN(instant) ? undefined : instant;
}

/** Compiles one exemption as written; every problem becomes a diagnostic at its field. */
export function compileExemption(
  spec: ExemptionSpec,
  document: PolicyDocument,
): { exemption: CompiledExemption | undefined; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const at = (
    field: string,
    code: Diagnostic['code'],
    message: string,
    severity: Diagnostic['severity'] = 'error',
  ) => diagnostics.push(policyDiagnostic(document, code, `${spec.field}.${field}`, message, severity));

  let expiresAt: number | undefined;
  if (spec.expires !== undefined) {
    expiresAt = parseExpiry(spec.expires);
    if (expiresAt === undefined) {
      at(
        'expires',
        'POLICY_BAD_EXEMPTION',
        `expires "${spec.expires}" is not a date: use YYYY-MM-DD (valid through the end of that day, UTC) or an RFC 3339 date-time such as 2027-01-31T12:00:00Z`,
      );
    }
  }

  // An exemption grants: it matches names as written, so another spelling is not exempt (fails closed).
  const images = spec.images ? compileImagePatternSet(spec.images, 'exact') : undefined;
  for (const problem of images?.problems ?? []) {
    at(`images[${problem.index}]`, 'POLICY_BAD_PATTERN', problem.message, problem.severity);
  }
  const namespaces = compileAll(
    spec.namespaces,
    (source) => compileGlob(source, NAMESPACE_GLOB),
    (i, m) => at(`namespaces[${i}]`, 'POLICY_BAD_GLOB', m),
  );
  const workloads = compileAll(spec.workloads, compileWorkloadGlob, (i, m) =>
    at(`workloads[${i}]`, 'POLICY_BAD_GLOB', m),
  );

  if (diagnostics.some((d) => d.severity === 'error')) return { exemption: undefined, diagnostics };
  const imageSet = images?.set;
  return {
    exemption: {
      rules: spec.rules,
      matchesImage: (name) => imageSet === undefined || imageSet.match(name) !== undefined,
      matchesNamespace: (namespace) =>
        namespaces === undefined || namespaces.some((g) => g.matches(namespace)),
      matchesWorkload: (kind, name) =>
        workloads === undefined || workloads.some((g) => g.matches(kind, name)),
      expiresAt,
      expires: spec.expires,
      owner: spec.owner,
      reason: spec.reason,
      location: spec.location,
    },
    diagnostics,
  };
}

/** A warning for an exemption that has expired or expires within 14 days, else undefined. */
export function expiryWarning(
  exemption: CompiledExemption,
  spec: ExemptionSpec,
  document: PolicyDocument,
  now: number,
): Diagnostic | undefined {
  const status = exemptionStatus(exemption, now);
  if (status === 'active') return undefined;
  const field = `${spec.field}.expires`;
  const who = exemption.owner ? ` (owner: ${exemption.owner})` : '';
  const rules = exemption.rules.join(', ');
  if (status === 'expired') {
    const message = `the exemption for ${rules} expired on ${exemption.expires}${who}: it no longer applies; remove or renew it`;
    return policyDiagnostic(document, 'POLICY_BAD_EXEMPTION', field, message, 'warning');
  }
  const days = Math.ceil(((exemption.expiresAt as number) - now) / 86_400_000);
  const message = `the exemption for ${rules} expires on ${exemption.expires}${who}, in ${days === 1 ? '1 day' : `${days} days`}`;
  return policyDiagnostic(document, 'EXEMPTION_EXPIRING', field, message, 'warning');
}
