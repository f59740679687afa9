/**
 * What the webhooks answer about a report of one object: the validating webhook's verdict,
 * message and warnings, the mutating webhook's JSONPatch. Pure (no Node, no Express): admit.ts
 * builds every AdmissionResponse with it, and the playground (packages/playground) shows the
 * answer the server would give with the same code (`@pullguard/server/admission`).
 */
import { type Finding, formatDiagnostic, type ImageFix, type Report } from '@pullguard/engine';
import { isObject, type JsonPatchOperation, parsePointer, patchForFixes, resolve } from './json-patch.js';
import { attachWarnings, auditAnnotations, denialMessage, warningFor } from './messages.js';
import type { AdmissionResponse, KubeObject } from './review.js';

/** A response, and what the request line logs about it. */
export interface AdmissionOutcome {
  response: AdmissionResponse;
  /** `pass`/`fail` after evaluation; otherwise why nothing was evaluated. */
  decision: 'pass' | 'fail' | 'skipped' | 'error';
}

/** Which findings of the report the validating answer weighs (all of them on CREATE). */
export interface ValidationScope {
  /** Findings the request introduces: they decide. Default: the report's. */
  findings?: readonly Finding[] | undefined;
  /** Findings whose warnings the user sees. Default: the report's. */
  visible?: readonly Finding[] | undefined;
  /** Blocking findings the object had before an UPDATE: warned about, never denied. */
  preexisting?: readonly Finding[] | undefined;
  /** Warnings that come first (e.g. policies not applied while a namespace's labels are unknown). */
  notices?: readonly string[] | undefined;
}

/** The validating webhook's answer: denied by an unread object (400) or a blocking finding (403). */
export function validationAnswer(
  uid: string,
  subject: string,
  report: Report,
  scope: ValidationScope = {},
): AdmissionOutcome {
  const errors = report.errors.filter((d) => d.severity === 'error');
  const blocking = (scope.findings ?? report.findings).filter(isBlocking);
  const visible = scope.visible ?? report.findings;
  const warnings = [
    ...(scope.notices ?? []),
    ...visible
      .filter((f) => f.action === 'warn' && f.exemption?.status !== 'active')
      .map((f) => warningFor(f)),
    ...visible
      .filter((f) => f.action === 'deny' && f.exemption?.status === 'active')
      .map((f) => warningFor(f, 'exempt')),
    ...(scope.preexisting ?? []).filter(isBlocking).map((f) => warningFor(f, 'pre-existing')),
    ...report.warnings.filter((d) => d.code === 'EXEMPTION_EXPIRING').map((d) => d.message),
  ];
  const response: AdmissionResponse = { uid, allowed: blocking.length === 0 && errors.length === 0 };
  if (errors.length > 0) {
    Object.assign(
      response,
      deny(
        uid,
        400,
        'BadRequest',
        `pullguard could not read ${subject}: ${errors.map(formatDiagnostic).join('; ')}`,
      ),
    );
  } else if (blocking.length > 0) {
    Object.assign(response, deny(uid, 403, 'Forbidden', denialMessage(subject, blocking)));
  }
  const audit = auditAnnotations(visible.filter((f) => f.action === 'audit'));
  if (audit !== undefined) response.auditAnnotations = audit;
  attachWarnings(response, warnings);
  // The report's verdict precedence (an unread object is `error`, never `fail` or `pass`).
  const decision = errors.length > 0 ? 'error' : response.allowed ? 'pass' : 'fail';
  return { response, decision };
}

/** The mutating webhook's answer: `fixes` as a JSONPatch (what already holds left out), and a warning per change. */
export function mutationAnswer(
  uid: string,
  object: KubeObject,
  fixes: readonly ImageFix[],
  encodePatch: (json: string) => string,
): { response: AdmissionResponse; operations: JsonPatchOperation[] } {
  const operations = patchForFixes(object, fixes);
  const response: AdmissionResponse = { uid, allowed: true };
  if (operations.length > 0) {
    response.patchType = 'JSONPatch';
    response.patch = encodePatch(JSON.stringify(operations));
    const applied = new Set(operations.map((o) => o.path));
    attachWarnings(
      response,
      fixes
        .filter((f) => applied.has(f.pointer))
        // The container first: a warning longer than 120 characters is cut, and a pinned image is long.
        .map(
          (f) => `pullguard set ${f.field} of "${ownerName(object, f.pointer)}" to ${f.value}: ${f.reason}`,
        ),
    );
  }
  return { response, operations };
}

/** The name of the container (or image volume) a fix's field belongs to, for messages. */
function ownerName(object: KubeObject, pointer: string): string {
  const tokens = parsePointer(pointer) ?? [];
  // `…/containers/0/imagePullPolicy` → the container; `…/volumes/2/image/pullPolicy` → the volume.
  for (const up of [1, 2]) {
    const owner = resolve(object, tokens.slice(0, -up));
    if (isObject(owner) && typeof owner['name'] === 'string') return owner['name'];
  }
  return pointer;
}

/** Blocks admission: a deny finding without an active exemption (the engine's verdict rule). */
export function isBlocking(f: Finding): boolean {
  return f.action === 'deny' && f.exemption?.status !== 'active';
}

export function deny(uid: string, code: number, reason: string, message: string): AdmissionResponse {
  return { uid, allowed: false, status: { code, reason, message } };
}

/**
 * `Deployment prod/web`: what messages call the object under review — its name, else the
 * request's (`name`), else its generateName with `*`.
 */
export function admissionSubject(
  kind: string,
  namespace: string | undefined,
  object: unknown,
  name?: string | undefined,
): string {
  const metadata = isObject(object) && isObject(object['metadata']) ? object['metadata'] : {};
  const shown =
    (typeof metadata['name'] === 'string' && metadata['name']) ||
    name ||
    (typeof metadata['generateName'] === 'string' ? `${metadata['generateName']}*` : '<unnamed>');
  return `${kind} ${namespace ? `${namespace}/` : ''}${shown}`;
}
