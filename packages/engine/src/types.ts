/**
 * pullguard's domain model. Data flows one way through these types:
 * text → ManifestDocument (with locations) → ExtractedImage → Facts → Finding → Report.
 */

/** A place in a source text. `line` and `column` are 1-based; `column` counts UTF-16 code units. */
export interface SourceLocation {
  file?: string | undefined;
  line: number;
  column: number;
}

/**
 * A container image reference, parsed and normalized exactly as Kubernetes does
 * (`ParseNormalizedNamed` of distribution/reference v0.6.0).
 */
export interface ImageReference {
  /** Registry host, with port if any: `docker.io`, `registry.acme.io:5000`, `[::1]:5000`. */
  readonly domain: string;
  /** Repository path without the domain: `library/nginx`. */
  readonly path: string;
  /** `domain/path`, fully normalized: `nginx` → `docker.io/library/nginx`. */
  readonly name: string;
  readonly tag: string | undefined;
  /** `algorithm:hex`, validated as go-digest does. */
  readonly digest: string | undefined;
  /** The docker CLI's short form: `nginx:1.25`, `acme/app@sha256:…`, `ghcr.io/x/y:1`. */
  readonly familiar: string;
}

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';
export const PULL_POLICIES: readonly PullPolicy[] = ['Always', 'IfNotPresent', 'Never'];

/** What kubelet will do, and why: the declared policy or the API server's default. */
export interface PullPolicyDecision {
  policy: PullPolicy;
  /** True when `imagePullPolicy` (or an image volume's `pullPolicy`) is set in the source. */
  explicit: boolean;
  /** A sentence a person understands. */
  reason: string;
  /** Set when the declared value is not one of the three the API server accepts. */
  invalidDeclared?: string | undefined;
}

/** `sidecar` = an init container with `restartPolicy: Always` (native sidecar, KEP-753). */
export type ContainerType = 'container' | 'init' | 'sidecar' | 'ephemeral' | 'volume';

export interface WorkloadRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string | undefined;
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
}

/** One image that a workload runs, with everything rules need and where it is written. */
export interface ExtractedImage {
  workload: WorkloadRef;
  container: {
    name: string;
    type: ContainerType;
    /** Index in its list (`containers`, `initContainers`, `ephemeralContainers`, `volumes`). */
    index: number;
  };
  /** The image string exactly as written. */
  raw: string;
  reference: ImageReference | undefined;
  /** Why `raw` does not parse (code INVALID_IMAGE_REFERENCE); set iff `reference` is undefined. */
  referenceError: { code: 'INVALID_IMAGE_REFERENCE'; message: string } | undefined;
  pullPolicy: {
    /** The value written in the source, if any (may be invalid). */
    declared: string | undefined;
    effective: PullPolicy;
    explicit: boolean;
    reason: string;
  };
  /** Names from the pod's `imagePullSecrets`. */
  imagePullSecrets: readonly string[];
  /** JSON pointer to the image value inside its object: `/spec/template/spec/containers/0/image`. */
  pointer: string;
  /** JSON pointer to the container object (or image volume source) that holds the image. */
  containerPointer: string;
  /** Where the image value is written (the value itself, not its key); undefined for objects given as data. */
  location: SourceLocation | undefined;
  /** Index of the object in its input (documents and List items, in order). */
  objectIndex: number;
}

/** A Namespace object seen in the input: its labels feed `namespaceSelector`. */
export interface NamespaceInfo {
  name: string;
  labels: Readonly<Record<string, string>>;
}

export type Action = 'deny' | 'warn' | 'audit';

/** An exemption as reported on a finding. */
export interface AppliedExemption {
  status: 'active' | 'expired';
  owner?: string | undefined;
  reason?: string | undefined;
  /** ISO date (`2027-01-31`). */
  expires?: string | undefined;
  location?: SourceLocation | undefined;
}

/** What every fix says: where it applies, which rule asks for it and why. */
export interface FixTarget {
  /** JSON pointer of the field to set, e.g. `/spec/containers/0/imagePullPolicy`. */
  pointer: string;
  /** Object index in the input and source location of the container/volume, for fixing text. */
  objectIndex: number;
  location: SourceLocation | undefined;
  rule: string;
  policy: string;
  reason: string;
}

/** Sets the pull policy of a container (`imagePullPolicy`) or an image volume (`pullPolicy`). */
export interface PullPolicyFix extends FixTarget {
  field: 'imagePullPolicy' | 'pullPolicy';
  value: PullPolicy;
}

/**
 * Replaces an image reference (a container's `image`, an image volume's `reference`) with the same
 * reference pinned to a digest: `nginx:1.25` → `nginx:1.25@sha256:…`. Only `require-digest` with
 * `mutate: true` asks for it, and only on Pods (docs/registry.md#pinning).
 */
export interface ImageReferenceFix extends FixTarget {
  field: 'image' | 'reference';
  /** The pinned reference. */
  value: string;
}

/** A change a rule asks for, applied by `pullguard fix` and the mutating webhook. */
export type ImageFix = PullPolicyFix | ImageReferenceFix;

export interface Finding {
  /** Rule id (`require-digest`, `acme/no-busybox`); for `expression` rules, the entry's `id`. */
  rule: string;
  policy: string;
  action: Action;
  /** `violation`: the rule says no. `error`: the rule threw, rejected or timed out. */
  status: 'violation' | 'error';
  message: string;
  /** How to fix it, one sentence (from the rule's `hint`). */
  hint?: string | undefined;
  namespace: string;
  workload: { apiVersion: string; kind: string; name: string };
  container: { name: string; type: ContainerType };
  image: { raw: string; name?: string | undefined; tag?: string | undefined; digest?: string | undefined };
  pullPolicy: { declared?: string | undefined; effective: PullPolicy };
  pointer: string;
  location?: SourceLocation | undefined;
  /** Set when an exemption matched: `active` exemptions make a finding non-blocking. */
  exemption?: AppliedExemption | undefined;
  fix?: ImageFix | undefined;
  /** Extra context, e.g. "evaluated after API server defaulting". */
  notes?: string[] | undefined;
}

export interface ReportSummary {
  objects: number;
  workloads: number;
  images: number;
  findings: { deny: number; warn: number; audit: number; exempted: number; errors: number };
  /** Load errors (input problems). */
  errors: number;
  cache: { hits: number; misses: number };
}

/**
 * What a report concludes, in precedence order:
 * - `error`: some input could not be read (`errors` holds at least one diagnostic of severity
 *   `error`): the report judged less than it was given, so it can never pass. Outranks `fail`
 *   (the CLI exits 2 before 1); the findings of what was read are still reported.
 * - `fail`: a finding with action `deny` that no active exemption covers. A rule that threw or
 *   timed out (RULE_ERROR, RULE_TIMEOUT) is such a finding when its action is `deny`.
 * - `pass`: neither. Warnings (`warnings[]`) never change the verdict.
 */
export type Verdict = 'pass' | 'fail' | 'error';

export interface Report {
  /** See Verdict: `error` (unread input) over `fail` (an unexempted deny finding) over `pass`. */
  verdict: Verdict;
  /** Sorted by file, line, column, then rule. */
  findings: Finding[];
  /** Load errors: documents that could not be read. The rest of the input is still evaluated. */
  errors: import('./errors.js').Diagnostic[];
  /** Non-blocking notices: exemptions expiring within 14 days, policy warnings. */
  warnings: import('./errors.js').Diagnostic[];
  /** Fixes that the governing policies declare as mutations (`mutate: true`), one per field. */
  mutations: ImageFix[];
  /** Fingerprint of the policy set that produced this report. */
  policyFingerprint: string;
  summary: ReportSummary;
}

/** Injected time source: no engine code reads the wall clock directly. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
