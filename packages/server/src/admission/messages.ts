import type { Finding } from '@pullguard/engine';

/**
 * What the API server forwards to clients without truncating (k8s.io/apiserver
 * pkg/endpoints/filters/warning.go, v1.34): warnings are deduplicated; once their total exceeds
 * 4096 runes every warning is cut to 256 runes and later ones are dropped; a warning with a
 * control character or invalid UTF-8 is dropped (apimachinery util/net NewWarningHeader). The
 * AdmissionResponse docs ask for ≤ 120 characters. pullguard stays inside all of these.
 */
export const WARNING_MAX_RUNES = 120;
export const WARNINGS_MAX_TOTAL_RUNES = 4096;

/** How many findings a denial message lists before summarizing the rest. */
export const DENIAL_MAX_FINDINGS = 20;

/** Audit annotation keys are the name part of a qualified name (the API server adds `<webhook>/`). */
export const AUDIT_KEY_MAX = 63;
/** Audit annotation values are bounded like ValidatingAdmissionPolicy's (10 KiB). */
export const AUDIT_VALUE_MAX = 10 * 1024;

// unicode.IsControl in Go: C0 controls, DEL and C1 controls — exactly what this regex must match.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g;
// Strings must encode to valid UTF-8 (lone surrogates would not).
// One cheap scan decides whether the two replacements above are needed at all.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const SUSPECT = /[\u0000-\u001f\u007f-\u009f\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function describeFinding(f: Finding): string {
  return `container "${f.container.name}" image "${f.image.raw}": ${f.rule} — ${f.message}`;
}

/** The 403 message: one line per blocking finding (container, image, rule, why, how to fix). */
export function denialMessage(subject: string, blocking: readonly Finding[]): string {
  const lines = blocking.slice(0, DENIAL_MAX_FINDINGS).map((f) => {
    const hint = f.hint ? ` Fix: ${f.hint}` : '';
    return `- ${describeFinding(f)} (policy ${f.policy}).${hint}`;
  });
  if (blocking.length > DENIAL_MAX_FINDINGS)
    lines.push(`- … and ${blocking.length - DENIAL_MAX_FINDINGS} more`);
  const count = blocking.length === 1 ? '1 finding' : `${blocking.length} findings`;
  return `pullguard denied ${subject}: ${count}\n${lines.join('\n')}`;
}

/** Deduplicated, cleaned, each ≤ 120 runes, ≤ 4096 runes in all (the last one says how many were left out). */
export function boundWarnings(texts: Iterable<string>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  let total = 0;
  let omitted = 0;
  const reserve = 40; // room for the "… N more" line
  for (const text of texts) {
    const clean = truncateRunes(sanitize(text), WARNING_MAX_RUNES);
    if (clean === '' || seen.has(clean)) continue;
    // UTF-16 code units: never fewer than runes, so the API server's rune budget holds.
    const runes = clean.length;
    if (omitted > 0 || total + runes > WARNINGS_MAX_TOTAL_RUNES - reserve) {
      omitted++;
      continue;
    }
    seen.add(clean);
    out.push(clean);
    total += runes;
  }
  if (omitted > 0) out.push(`pullguard: ${omitted} more warning${omitted === 1 ? '' : 's'} not shown`);
  return out;
}

/** Control characters → space, lone surrogates → U+FFFD; most text has neither and is returned as is. */
function sanitize(text: string): string {
  if (!SUSPECT.test(text)) return text.trim();
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(CONTROL, ' ').trim();
}

export function warningFor(f: Finding, prefix = ''): string {
  return `${prefix}${f.container.name} (${f.image.raw}): ${f.rule}: ${f.message}`;
}

/**
 * One annotation per audited rule, keyed `audit-<rule>` (sanitized to a qualified name) with a
 * JSON list of what it saw; the API server stores them as `<webhook name>/audit-<rule>`.
 */
export function auditAnnotations(findings: readonly Finding[]): Record<string, string> | undefined {
  const byKey = new Map<string, { policy: string; container: string; image: string; message: string }[]>();
  for (const f of findings) {
    const key = auditKey(f.rule);
    const list = byKey.get(key) ?? [];
    byKey.set(key, list);
    list.push({ policy: f.policy, container: f.container.name, image: f.image.raw, message: f.message });
  }
  if (byKey.size === 0) return undefined;
  const out: Record<string, string> = {};
  for (const [key, list] of byKey) {
    let value = JSON.stringify(list);
    while (value.length > AUDIT_VALUE_MAX && list.length > 1) {
      list.pop();
      value = JSON.stringify(list);
    }
    out[key] = value.length > AUDIT_VALUE_MAX ? `${value.slice(0, AUDIT_VALUE_MAX - 1)}…` : value;
  }
  return out;
}

/** `audit-<rule>` as a qualified-name name: [A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9], ≤ 63 characters. */
export function auditKey(rule: string): string {
  const body = `audit-${rule}`.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, AUDIT_KEY_MAX);
  return body.replace(/[^A-Za-z0-9]+$/, '');
}

/**
 * At most `max` runes: cut by UTF-16 code units (never more runes than units), without splitting
 * a surrogate pair.
 */
function truncateRunes(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = max - 1;
  const last = s.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return `${s.slice(0, cut)}…`;
}
