import type { Finding } from '@pullguard/engine';
import type { AdmissionResponse } from './review.js';

/**
 * What the API server forwards to clients without truncating. AdmissionResponse.warnings: "Limit
 * warnings to 120 characters if possible. Warnings over 256 characters and large numbers of
 * warnings may be truncated" (k8s.io/api admission/v1/types.go, v0.34). The API server
 * deduplicates them; once their total exceeds 4096 runes it cuts every warning to 256 runes and
 * drops later ones; a warning with a control character or invalid UTF-8 is dropped (k8s.io/apiserver
 * pkg/endpoints/filters/warning.go and apimachinery util/net NewWarningHeader, v0.34). pullguard
 * stays inside all of these, and sends the full text of what it cut in the `warnings` audit
 * annotation.
 */
export const WARNING_MAX_RUNES = 120;
export const WARNINGS_MAX_TOTAL_RUNES = 4096;

/** How many findings a denial message lists before summarizing the rest. */
export const DENIAL_MAX_FINDINGS = 20;

/**
 * Audit annotation keys: the API server stores each as `<webhook name>/<key>` and rejects it
 * unless that is a qualified name (checkKeyFormat, k8s.io/apiserver pkg/admission/attributes.go,
 * v0.34), so a key is the name part: ≤ 63 characters of [-A-Za-z0-9_.], alphanumeric at both ends.
 */
export const AUDIT_KEY_MAX = 63;
/**
 * The API server sets no limit on a webhook's audit annotation values; they go into every audit
 * event of the request. pullguard bounds each as ValidatingAdmissionPolicy bounds its own (10 KiB).
 */
export const AUDIT_VALUE_MAX = 10 * 1024;
/** The audit annotation with the full text of the warnings that were cut or left out. */
export const WARNINGS_AUDIT_KEY = 'warnings';

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

export interface BoundedWarnings {
  /** Deduplicated, cleaned, each ≤ 120 runes, ≤ 4096 runes in all (the last one says how many were left out). */
  warnings: string[];
  /** The full text of each warning that was cut or left out. */
  cut: string[];
}

/** Warnings as the API server forwards them intact (see WARNING_MAX_RUNES). */
export function boundWarnings(texts: Iterable<string>): BoundedWarnings {
  const warnings: string[] = [];
  const cut: string[] = [];
  const seen = new Set<string>();
  let total = 0;
  let omitted = 0;
  const reserve = 40; // room for the "… N more" line
  for (const text of texts) {
    const full = sanitize(text);
    if (full === '' || seen.has(full)) continue;
    seen.add(full);
    const short = shorten(full, WARNING_MAX_RUNES);
    // UTF-16 code units: never fewer than runes, so the API server's rune budget holds.
    if (omitted > 0 || total + short.length > WARNINGS_MAX_TOTAL_RUNES - reserve) {
      omitted++;
      cut.push(full);
      continue;
    }
    if (short !== full) cut.push(full);
    warnings.push(short);
    total += short.length;
  }
  if (omitted > 0) warnings.push(`pullguard: ${omitted} more warning${omitted === 1 ? '' : 's'} not shown`);
  return { warnings, cut };
}

/**
 * Sets `response.warnings` from `texts` (nothing when there are none), and the full text of the
 * warnings that had to be cut or left out as the `warnings` audit annotation.
 */
export function attachWarnings(response: AdmissionResponse, texts: Iterable<string>): void {
  const { warnings, cut } = boundWarnings(texts);
  if (warnings.length > 0) response.warnings = warnings;
  if (cut.length > 0) {
    response.auditAnnotations = { ...response.auditAnnotations, [WARNINGS_AUDIT_KEY]: boundedJson(cut) };
  }
}

/** Control characters → space, lone surrogates → U+FFFD; most text has neither and is returned as is. */
function sanitize(text: string): string {
  if (!SUSPECT.test(text)) return text.trim();
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(CONTROL, ' ').trim();
}

/**
 * One finding as a warning: the rule and the image first (what a cut warning must still say),
 * then why, then the container. `note` marks findings that do not block (`exempt`, `pre-existing`).
 */
export function warningFor(f: Finding, note?: string): string {
  return `${f.rule} ${f.image.raw}${note ? ` (${note})` : ''}: ${f.message} — container ${f.container.name}`;
}

/** The denial while a namespace's labels are unknown (`--unknown-labels deny`). */
export function unknownLabelsMessage(
  subject: string,
  namespace: string,
  policies: readonly string[],
  sources: readonly string[],
): string {
  const from =
    sources.length === 0
      ? 'no source of namespace labels is configured (--namespaces-file or --watch-namespaces)'
      : `the labels come from ${sources.join(' and ')}`;
  return (
    `pullguard denied ${subject}: the labels of namespace "${namespace}" are unknown, so ` +
    `${policies.length === 1 ? 'policy' : 'policies'} ${policies.join(', ')} (selecting namespaces by label) ` +
    `cannot be judged; ${from} (--unknown-labels deny)`
  );
}

/** The warning while a namespace's labels are unknown (`--unknown-labels allow`). */
export function unknownLabelsWarning(namespace: string, policies: readonly string[]): string {
  return `namespace ${namespace} labels unknown: not applied: ${policies.join(', ')}`;
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
  for (const [key, list] of byKey) out[key] = boundedJson(list);
  return out;
}

/** A JSON list of at most AUDIT_VALUE_MAX characters: entries dropped from the end, the last resort a cut. */
function boundedJson(list: readonly unknown[]): string {
  let kept = list.length;
  let value = JSON.stringify(list);
  while (value.length > AUDIT_VALUE_MAX && kept > 1) {
    kept--;
    value = JSON.stringify(list.slice(0, kept));
  }
  return value.length > AUDIT_VALUE_MAX ? `${value.slice(0, AUDIT_VALUE_MAX - 1)}…` : value;
}

/** `audit-<rule>` as a qualified-name name: [A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9], ≤ 63 characters. */
export function auditKey(rule: string): string {
  const body = `audit-${rule}`.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, AUDIT_KEY_MAX);
  return body.replace(/[^A-Za-z0-9]+$/, '');
}

/**
 * At most `max` runes, cut at a word boundary with "…" (by UTF-16 code units, which are never
 * fewer than runes, and never splitting a surrogate pair). A single word longer than half the
 * room is cut where the room ends rather than dropped.
 */
export function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = max - 1;
  const last = s.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  const space = s.lastIndexOf(' ', cut);
  if (space >= max / 2) cut = space;
  return `${s.slice(0, cut).replace(/[\s,;:—-]+$/, '')}…`;
}
