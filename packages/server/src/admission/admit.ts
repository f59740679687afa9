import { type Engine, type Finding, type ImageFix, isPullguardError, type Report } from '@pullguard/engine';
import { runsPods } from '@pullguard/engine/internals';
import type { Deadline } from '../http/deadline.js';
import { findTooDeep } from '../http/depth.js';
import { HttpError } from '../http/http-error.js';
import type { Logger } from '../logger.js';
import type { ServerMetrics } from '../metrics.js';
import { type NamespaceLabels, type UnjudgedMemo, unjudgedPolicies } from '../namespaces/namespace-labels.js';
import type { PolicyService } from '../policy-service.js';
import { type AdmissionOutcome, admissionSubject, deny, mutationAnswer, validationAnswer } from './answer.js';
import { isObject, resolve } from './json-patch.js';
import { attachWarnings, unknownLabelsMessage, unknownLabelsWarning } from './messages.js';
import type { AdmissionRequest, AdmissionResponse, KubeObject } from './review.js';

export type Webhook = 'validate' | 'mutate';

export interface AdmissionContext {
  policies: PolicyService;
  metrics: ServerMetrics;
  logger: Logger;
  /** `closed`: an evaluation that cannot finish denies; `open`: it allows with a warning. */
  failureMode: 'closed' | 'open';
  /** The evaluation deadline (`deadline(timeoutMs, 'the evaluation')`). */
  deadline: Deadline;
  maxDepth: number;
  /** The namespace labels admission believes, and what it does while they are unknown. */
  namespaces: NamespaceLabels;
  /** unjudgedPolicies' memo. */
  unjudged: UnjudgedMemo;
}

/** Who sent the review: a client whose certificate `--client-ca` issued (the API server) or not. */
export interface AdmissionClient {
  authenticated: boolean;
}

export type { AdmissionOutcome } from './answer.js';

/**
 * Decides one AdmissionRequest. The rules, and why:
 * - A Namespace review is allowed. Its labels are believed (for `namespaceSelector`) only with
 *   `--learn-namespaces`, only from the authenticated API server and never on a dry run: anyone
 *   who can reach the port could otherwise rewrite the labels that decide which policies apply.
 * - DELETE and CONNECT are allowed unevaluated: they run no new image.
 * - Subresources other than `pods/ephemeralcontainers` (status, scale, binding…) cannot change images.
 * - The object is judged as the kind `request.kind` says (review.ts has refused an object of
 *   another kind), as admitted (API server defaults applied) in `request.namespace`, which wins
 *   over `metadata.namespace` so an object cannot pick the policies that govern it.
 * - While the namespace's labels are unknown, policies that select namespaces by label cannot be
 *   judged: `--unknown-labels deny` denies, `allow` evaluates without them and says so in a warning.
 * - On UPDATE, a deny finding already present in `oldObject` does not block: the update does
 *   not introduce it (denying would wedge e.g. finalizer removal on a Pod admitted before the
 *   policy). It is reported as a warning instead. `pods/ephemeralcontainers` is an UPDATE of
 *   the whole Pod, so only the ephemeral containers it adds are judged; findings about
 *   containers it cannot change are left out.
 */
export async function admit(
  webhook: Webhook,
  request: AdmissionRequest,
  ctx: AdmissionContext,
  client: AdmissionClient = { authenticated: false },
): Promise<AdmissionOutcome> {
  const dryRun = request.dryRun === true;
  const { operation, kind, subResource } = request;
  const allowed = (): AdmissionOutcome => ({
    response: { uid: request.uid, allowed: true },
    decision: 'skipped',
  });

  if (kind.group === '' && kind.kind === 'Namespace' && !subResource) {
    learnNamespace(request, ctx, client, dryRun);
    return allowed();
  }
  if (operation === 'DELETE' || operation === 'CONNECT') return allowed();
  const object = request.object as KubeObject;
  const isPod = kind.group === '' && kind.kind === 'Pod';
  const ephemeral = isPod && subResource === 'ephemeralcontainers';
  if (subResource && !ephemeral) return allowed();
  // The engine decides which kinds run pods, its manifests.podSpecPaths included, so admission
  // checks exactly what `check` does; before the first policy set loads, the core kinds.
  const engine = ctx.policies.engine;
  const as = judgedAs(request);
  if (!(engine?.runsPods(as.apiVersion, as.kind) ?? runsPods(as.apiVersion, as.kind))) return allowed();

  const tooDeep = findTooDeep(object, ctx.maxDepth);
  if (tooDeep !== undefined) {
    const message = `pullguard cannot evaluate this object: it nests deeper than ${ctx.maxDepth} levels (at ${tooDeep})`;
    // The mutating webhook leaves enforcement to the validating one, which denies.
    return webhook === 'mutate'
      ? allowed()
      : { response: deny(request.uid, 400, 'BadRequest', message), decision: 'error' };
  }

  if (engine === undefined) {
    ctx.metrics.recordEvaluationFailure(webhook, 'not-ready');
    return failure(request, ctx, 'no policy set has loaded yet');
  }
  const { namespace } = as;
  const oldObject = operation === 'UPDATE' && isObject(request.oldObject) ? request.oldObject : undefined;
  try {
    let unjudged = namespace === undefined ? NONE : unjudgedFor(engine, namespace, ctx);
    if (unjudged instanceof Promise) unjudged = await unjudged;
    if (unjudged.length > 0) {
      ctx.metrics.recordUnknownLabels(webhook, ctx.namespaces.unknown);
      // The mutating webhook leaves enforcement to the validating one, which denies.
      if (ctx.namespaces.unknown === 'deny' && webhook === 'validate') {
        const { sources } = ctx.namespaces.status();
        const message = unknownLabelsMessage(subject(request), namespace!, unjudged, sources);
        return { response: deny(request.uid, 403, 'Forbidden', message), decision: 'error' };
      }
    }
    const report = await evaluate(engine, object, as, ctx);
    ctx.metrics.recordReport(webhook, report, dryRun);
    return webhook === 'validate'
      ? await validate(request, report, { engine, as, oldObject, ephemeral, unjudged, ctx })
      : mutate(request, object, report, { isPod, ephemeral, oldObject });
  } catch (error) {
    const timeout = error instanceof HttpError && error.code === 'EVALUATION_TIMEOUT';
    ctx.metrics.recordEvaluationFailure(webhook, timeout ? 'timeout' : 'error');
    if (!timeout) ctx.logger.error({ err: error, uid: request.uid }, 'admission evaluation failed');
    // Timeouts and engine errors say what happened; anything else is a bug, detailed in the log only.
    const known = error instanceof HttpError || isPullguardError(error);
    return failure(request, ctx, known ? (error as Error).message : 'an internal error (see the server log)');
  }
}

interface ValidateScope {
  engine: Engine;
  as: Judged;
  oldObject: KubeObject | undefined;
  ephemeral: boolean;
  /** Policies not applied because the namespace's labels are unknown (`--unknown-labels allow`). */
  unjudged: readonly string[];
  ctx: AdmissionContext;
}

async function validate(
  request: AdmissionRequest,
  report: Report,
  scope: ValidateScope,
): Promise<AdmissionOutcome> {
  let findings = report.findings;
  let preexisting: Finding[] = [];
  if (scope.oldObject !== undefined && findings.length > 0) {
    const old = await evaluate(scope.engine, scope.oldObject, scope.as, scope.ctx);
    const before = new Set(old.findings.map(findingKey));
    preexisting = findings.filter((f) => before.has(findingKey(f)));
    findings = findings.filter((f) => !before.has(findingKey(f)));
  }
  // What the user sees besides the blocking findings: for ephemeral containers only what the
  // request adds; otherwise everything, with pre-existing deny findings marked as such.
  return validationAnswer(request.uid, subject(request), report, {
    findings,
    visible: scope.ephemeral ? findings : report.findings,
    preexisting: scope.ephemeral ? [] : preexisting,
    notices: scope.unjudged.length > 0 ? [unknownLabelsWarning(scope.as.namespace!, scope.unjudged)] : [],
  });
}

interface MutateScope {
  isPod: boolean;
  ephemeral: boolean;
  oldObject: KubeObject | undefined;
}

/**
 * The mutating webhook never denies over findings (the validating webhook enforces, after every
 * mutation). It patches only what the operation may change: a Pod's containers are immutable
 * after creation (ValidatePodUpdate, pkg/apis/core/validation/validation.go v1.34), so on Pod
 * UPDATE nothing is patched; on `pods/ephemeralcontainers` only the ephemeral containers the
 * request adds are.
 */
function mutate(
  request: AdmissionRequest,
  object: KubeObject,
  report: Report,
  scope: MutateScope,
): AdmissionOutcome {
  let fixes: readonly ImageFix[] = report.mutations;
  if (scope.isPod && request.operation === 'UPDATE') {
    fixes = scope.ephemeral ? fixes.filter(addedEphemeralContainer(object, scope.oldObject)) : [];
  }
  const { response } = mutationAnswer(request.uid, object, fixes, base64);
  return { response, decision: report.verdict };
}

/** JSONPatch bodies travel base64-encoded in an AdmissionResponse (`patch`). */
function base64(json: string): string {
  return Buffer.from(json).toString('base64');
}

const EPHEMERAL_POINTER = /^\/spec\/ephemeralContainers\/(\d+)\//;

/** Fixes that target an ephemeral container this request adds (by name, which is unique and immutable). */
function addedEphemeralContainer(
  object: KubeObject,
  oldObject: KubeObject | undefined,
): (fix: ImageFix) => boolean {
  const oldNames = new Set(containerNames(resolve(oldObject, ['spec', 'ephemeralContainers'])));
  const current = resolve(object, ['spec', 'ephemeralContainers']);
  return (fix) => {
    const index = EPHEMERAL_POINTER.exec(fix.pointer)?.[1];
    if (index === undefined || !Array.isArray(current)) return false;
    const container = current[Number(index)];
    return isObject(container) && typeof container['name'] === 'string' && !oldNames.has(container['name']);
  };
}

function containerNames(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((c) => (isObject(c) && typeof c['name'] === 'string' ? [c['name']] : []));
}

/** Where and as what an object is judged: `request.namespace` and `request.kind`. */
interface Judged {
  namespace: string | undefined;
  apiVersion: string;
  kind: string;
}

function judgedAs(request: AdmissionRequest): Judged {
  const { group, version, kind } = request.kind;
  return {
    namespace: request.namespace || undefined,
    apiVersion: group === '' ? version : `${group}/${version}`,
    kind,
  };
}

function evaluate(engine: Engine, object: KubeObject, as: Judged, ctx: AdmissionContext): Promise<Report> {
  // The deadline's signal ends registry lookups still running when the review's time is up.
  const signal = ctx.deadline.signal();
  return ctx.deadline(
    engine.evaluateObject(admitted(object, as), { namespace: as.namespace, admitted: true, signal }),
  );
}

/**
 * The object as admitted: in `request.namespace`, of the kind `request.kind` names (review.ts has
 * refused an object that names another; one that names none is read as that kind). A shallow
 * copy only when something differs.
 */
function admitted(object: KubeObject, as: Judged): KubeObject {
  const metadata = isObject(object['metadata']) ? object['metadata'] : {};
  const inNamespace = as.namespace === undefined || metadata['namespace'] === as.namespace;
  const typed = object['kind'] !== undefined && object['apiVersion'] !== undefined;
  if (inNamespace && typed) return object;
  return {
    ...object,
    apiVersion: as.apiVersion,
    kind: as.kind,
    ...(inNamespace ? {} : { metadata: { ...metadata, namespace: as.namespace } }),
  };
}

/** Identity of a finding across the old and new object of an UPDATE. */
function findingKey(f: Finding): string {
  return [f.policy, f.rule, f.container.type, f.container.name, f.image.raw, f.pullPolicy.effective].join(
    '\u0000',
  );
}

/**
 * A Namespace review: its labels are believed only with `--learn-namespaces`, from a client whose
 * certificate the configured CA issued (the API server), and not on a dry run (no side effects).
 * Anything else is ignored — and counted, since a Namespace review from anyone else is a forgery
 * or a misconfiguration.
 */
function learnNamespace(
  request: AdmissionRequest,
  ctx: AdmissionContext,
  client: AdmissionClient,
  dryRun: boolean,
): void {
  const object = request.operation === 'DELETE' ? request.oldObject : request.object;
  const metadata = isObject(object) && isObject(object['metadata']) ? object['metadata'] : {};
  const name =
    typeof metadata['name'] === 'string' && metadata['name'] !== '' ? metadata['name'] : request.name;
  if (!ctx.namespaces.learnFromReviews || !client.authenticated) {
    ctx.metrics.recordNamespaceReview('ignored');
    ctx.logger.debug(
      { namespace: name, authenticated: client.authenticated },
      'Namespace review not believed: learning is off, or the client is not the authenticated API server',
    );
    return;
  }
  if (dryRun || !name || request.operation === 'CONNECT') return;
  if (request.operation === 'DELETE') {
    ctx.namespaces.store.delete('reviews', name);
  } else {
    const labels: Record<string, string> = {};
    if (isObject(metadata['labels'])) {
      for (const [k, v] of Object.entries(metadata['labels'])) if (typeof v === 'string') labels[k] = v;
    }
    ctx.namespaces.store.set('reviews', name, labels);
  }
  ctx.metrics.recordNamespaceReview('learned');
  ctx.logger.debug({ namespace: name, operation: request.operation }, 'namespace labels learned');
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * Policies that cannot be judged in `namespace` because its labels are unknown (none when known).
 * A promise only when the labels must be looked up: the common case costs no extra tick.
 */
function unjudgedFor(
  engine: Engine,
  namespace: string,
  ctx: AdmissionContext,
): readonly string[] | Promise<readonly string[]> {
  const known = ctx.namespaces.resolve(namespace);
  if (known instanceof Promise) {
    return known.then((labels) =>
      labels === undefined ? unjudgedPolicies(engine, namespace, ctx.unjudged) : NONE,
    );
  }
  return known === undefined ? unjudgedPolicies(engine, namespace, ctx.unjudged) : NONE;
}

function failure(request: AdmissionRequest, ctx: AdmissionContext, why: string): AdmissionOutcome {
  const message = `pullguard could not evaluate ${subject(request)}: ${why}`;
  if (ctx.failureMode === 'open') {
    const response: AdmissionResponse = { uid: request.uid, allowed: true };
    attachWarnings(response, [`${message} (allowed: failure mode is open)`]);
    return { response, decision: 'error' };
  }
  return {
    response: deny(request.uid, 500, 'InternalError', `${message} (denied: failure mode is closed)`),
    decision: 'error',
  };
}

/** `Deployment prod/web` — from the object, or the request when the name is generated. */
function subject(request: AdmissionRequest): string {
  return admissionSubject(request.kind.kind, request.namespace, request.object, request.name);
}
