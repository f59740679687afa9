import type { Engine, ManifestObject } from '@pullguard/engine';
import {
  type AdmissionOutcome,
  admissionSubject,
  mutationAnswer,
  validationAnswer,
} from '@pullguard/server/admission';

type Response = AdmissionOutcome['response'];
type Operation = ReturnType<typeof mutationAnswer>['operations'][number];

/** What `pullguard serve`'s webhooks answer when the object is created. */
export interface AdmissionView {
  /** `Deployment prod-a/web` */
  subject: string;
  namespace: string;
  /** The mutating webhook: its answer and the JSONPatch in it, decoded. */
  mutate: { response: Response; operations: Operation[] };
  /** The validating webhook, on the object as the mutation left it (the API server calls it after). */
  validate: Response;
}

const UID = 'playground';

/**
 * The object judged as the server judges a CREATE review: as admitted (API server defaults
 * applied), in its namespace (`default` when it names none, as kubectl's default context), first
 * by the mutating webhook, then, patched, by the validating one.
 */
export async function admissionOf(engine: Engine, object: ManifestObject): Promise<AdmissionView> {
  const namespace = object.namespace ?? 'default';
  const judge = (value: Record<string, unknown>) =>
    engine.evaluateObject(value, { namespace, admitted: true });
  const mutation = mutationAnswer(UID, { ...object.object }, (await judge(object.object)).mutations, base64);
  const patched = applyPatch(object.object, mutation.operations);
  const subject = admissionSubject(object.kind, namespace, object.object);
  const { response } = validationAnswer(UID, subject, await judge(patched));
  return { subject, namespace, mutate: mutation, validate: response };
}

/** `add`/`replace` of members and items, as patchForFixes emits them (RFC 6902), on a copy. */
function applyPatch(object: Readonly<Record<string, unknown>>, operations: readonly Operation[]) {
  const copy = structuredClone(object) as Record<string, unknown>;
  for (const { path, value } of operations) {
    const tokens = path
      .slice(1)
      .split('/')
      .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
    const field = tokens.pop()!;
    let parent: unknown = copy;
    for (const token of tokens) parent = (parent as Record<string, unknown>)[token];
    (parent as Record<string, unknown>)[field] = value;
  }
  return copy;
}

/** The patch as an AdmissionResponse carries it: base64 of its UTF-8 (a browser has no Buffer). */
function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
