/**
 * The engine's stage boundaries as types: load manifests → parse/compile policies → evaluate.
 * Each stage is implemented in its own modules; these interfaces are what they hand each other
 * and what the SDK, server and CLI program against.
 */
import type { Diagnostic } from './errors.js';
import type { RegistryResolver } from './registry-contract.js';
import type { PluginDefinition } from './rule-contract.js';
import type { Action, Clock, ExtractedImage, NamespaceInfo, Report, SourceLocation } from './types.js';

// ---------------------------------------------------------------------------------------------
// Stage 1: manifests

export interface ManifestLimits {
  /** Largest document, in characters (default 3 MiB, like the API server's request limit). */
  maxDocumentBytes?: number | undefined;
  /**
   * Largest file or standard input, in bytes (default 128 MiB), enforced while reading
   * (loadManifestFiles): a bigger input is INPUT_READ_FAILED, never read to the end.
   */
  maxFileBytes?: number | undefined;
  /** Most alias dereferences in one document (default 1000): stops "billion laughs". */
  maxAliases?: number | undefined;
  /** Deepest nesting of maps/sequences (default 100). */
  maxDepth?: number | undefined;
}

export interface ManifestLoadOptions {
  /** Name used in locations and errors. */
  file?: string | undefined;
  /**
   * Extra workload kinds and the path to their pod spec, keyed `group/Kind` (or `Kind` for any
   * group): `{ 'argoproj.io/Rollout': ['spec', 'template', 'spec'] }`.
   */
  podSpecPaths?: Readonly<Record<string, readonly string[]>> | undefined;
  limits?: ManifestLimits | undefined;
}

/** A Kubernetes object found in the input (after unpacking Lists). */
export interface ManifestObject {
  /** Position among the input's objects (documents and List items, in order). */
  index: number;
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string | undefined;
  /** True when the kind carries a pod spec that pullguard evaluates. */
  workload: boolean;
  object: Readonly<Record<string, unknown>>;
  /** Where the object starts; undefined when it was given as data. */
  location: SourceLocation | undefined;
}

export interface LoadedManifests {
  file: string | undefined;
  objects: ManifestObject[];
  images: ExtractedImage[];
  /** Namespace objects seen in the input (their labels feed namespaceSelector). */
  namespaces: NamespaceInfo[];
  /** Load errors, each with file/line/column; the other documents are still loaded. */
  errors: Diagnostic[];
  /** Non-blocking load notices (severity `warning`), e.g. a duplicate key whose last value is used. */
  warnings?: Diagnostic[] | undefined;
}

// ---------------------------------------------------------------------------------------------
// Stage 2: policies

export interface PolicySource {
  text: string;
  file?: string | undefined;
}

/** Kubernetes LabelSelector (metav1.LabelSelector). */
export interface LabelSelector {
  matchLabels?: Readonly<Record<string, string>> | undefined;
  matchExpressions?:
    | readonly {
        key: string;
        operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
        values?: readonly string[] | undefined;
      }[]
    | undefined;
}

/**
 * `deny`: a registry error is a finding with the rule's action (fail closed). `warn`: at most a
 * warning. `allow`: recorded as an audit finding, never blocking.
 */
export type RegistryErrorMode = 'deny' | 'warn' | 'allow';

/** One `spec.rules[]` entry, as written (validated against the schema, not yet compiled). */
export interface RuleEntry {
  rule: string;
  /** Instance id: required for `expression`, defaults to `rule` otherwise. */
  id?: string | undefined;
  action?: Action | undefined;
  message?: string | undefined;
  when?: unknown;
  with?: unknown;
  /** Apply this rule's fix in the mutating webhook. */
  mutate?: boolean | undefined;
  location?: SourceLocation | undefined;
  /** `spec.rules[3]` */
  field: string;
}

export interface ExemptionSpec {
  rules: readonly string[];
  images?: readonly string[] | undefined;
  namespaces?: readonly string[] | undefined;
  workloads?: readonly string[] | undefined;
  /** ISO date `YYYY-MM-DD` (end of that day, UTC) or date-time. */
  expires?: string | undefined;
  owner?: string | undefined;
  reason?: string | undefined;
  location?: SourceLocation | undefined;
  field: string;
}

/** A PullPolicy document, parsed and schema-validated. */
export interface PolicyDocument {
  name: string;
  file: string | undefined;
  location: SourceLocation | undefined;
  namespaces: readonly string[];
  excludeNamespaces: readonly string[];
  namespaceSelector: LabelSelector | undefined;
  extends: readonly string[];
  /** `spec.action`, or `deny` when the policy does not set one. */
  action: Action;
  /** `spec.action` as written: when absent, a rule's own `defaultAction` applies before `deny`. */
  declaredAction?: Action | undefined;
  /**
   * `spec.onRegistryError` as written: what a registry that cannot be asked (unreachable, refusing,
   * rate limiting, too slow) means for the registry rules of the namespaces this policy governs.
   * When absent, the policies it extends decide, else `deny`.
   */
  onRegistryError?: RegistryErrorMode | undefined;
  rules: readonly RuleEntry[];
  exemptions: readonly ExemptionSpec[];
  /** Field → location, for errors found after parsing (`spec.rules[2].with.registries` → line/col). */
  locate(field: string): SourceLocation | undefined;
}

export interface PolicySummary {
  name: string;
  file: string | undefined;
  namespaces: readonly string[];
  excludeNamespaces: readonly string[];
  namespaceSelector: LabelSelector | undefined;
  extends: readonly string[];
  rules: number;
  exemptions: number;
}

/** Why a namespace is governed by what it is governed by. */
export interface NamespaceExplanation {
  namespace: string;
  /** null when the namespace's labels are unknown: selectors then do not match. */
  labels: Readonly<Record<string, string>> | null;
  policies: {
    name: string;
    file: string | undefined;
    applies: boolean;
    /** Sentences: `namespace glob "prod-*" matches`, `excluded by "prod-sandbox"`, `labels unknown: selector not evaluated`. */
    because: string[];
    /**
     * What the policy's namespaceSelector says about the namespace (absent without a selector):
     * `labels-unknown` when the namespace's labels are not known, so the selector was not evaluated.
     */
    selector?: 'match' | 'no-match' | 'labels-unknown' | undefined;
    /** The `excludeNamespaces` glob that excludes the namespace. */
    excludedBy?: string | undefined;
    /** What a registry error means for its registry rules: its own `onRegistryError`, else inherited, else `deny`. */
    onRegistryError: RegistryErrorMode;
    rules: {
      id: string;
      rule: string;
      action: Action;
      mutate: boolean;
      /** Policy the entry comes from when inherited through `extends`. */
      inheritedFrom?: string | undefined;
    }[];
    /** Each exemption with every condition it has (all must hold for it to apply). */
    exemptions: {
      rules: readonly string[];
      images?: readonly string[] | undefined;
      namespaces?: readonly string[] | undefined;
      workloads?: readonly string[] | undefined;
      expires?: string | undefined;
      status: 'active' | 'expired' | 'expiring';
      owner?: string | undefined;
      reason?: string | undefined;
    }[];
  }[];
}

// ---------------------------------------------------------------------------------------------
// Stage 3: evaluation

export interface CacheOptions {
  /** Most cached results (default 50,000). */
  max?: number | undefined;
  /** Time to live in ms (default: none; entries never outlive the next exemption expiry anyway). */
  ttlMs?: number | undefined;
}

export interface CacheStats {
  hits: number;
  misses: number;
  size: number;
  max: number;
}

export interface EngineOptions {
  policies: readonly PolicyDocument[];
  plugins?: readonly PluginDefinition[] | undefined;
  /** `false` disables the result cache. */
  cache?: CacheOptions | false | undefined;
  clock?: Clock | undefined;
  /** Namespace for objects without one (default `default`). */
  defaultNamespace?: string | undefined;
  /** Known namespace labels (from a namespaces file, the caller, or Namespace objects seen). */
  namespaceLabels?: Readonly<Record<string, Readonly<Record<string, string>>>> | undefined;
  /** Per-rule timeout for async rules, ms (default 1000). */
  ruleTimeoutMs?: number | undefined;
  manifests?: Omit<ManifestLoadOptions, 'file'> | undefined;
  /**
   * Where registry rules look images up (`@pullguard/registry`, or `createFixtureResolver`). Without
   * one, registry rules report "not checked" warnings instead of findings.
   */
  resolver?: RegistryResolver | undefined;
  /** Most time one registry lookup may take, ms (default 30,000): a backstop behind the resolver's own timeouts. */
  registryTimeoutMs?: number | undefined;
}

/** What every evaluation takes, whatever its input. */
export interface EvaluateOptions {
  /** Namespace for objects without one (overrides the engine's default). */
  namespace?: string | undefined;
  namespaceLabels?: Readonly<Record<string, Readonly<Record<string, string>>>> | undefined;
  /** The objects came through the API server (admission): defaults were applied already. */
  admitted?: boolean | undefined;
  /**
   * Aborts this evaluation's registry lookups (e.g. at the admission deadline): those still running
   * answer as registry errors of kind `timeout`, which `onRegistryError` judges.
   */
  signal?: AbortSignal | undefined;
}

export interface EvaluateTextOptions extends EvaluateOptions {
  /**
   * Name of the text, used in locations and errors; a name ending `.json` reports syntax errors as
   * JSON's. (Loaded manifests carry their own name; objects given as data have no locations.)
   */
  file?: string | undefined;
}

export type ReloadResult =
  | { ok: true; fingerprint: string; warnings: Diagnostic[] }
  | { ok: false; fingerprint: string; errors: Diagnostic[] };

export interface RuleSummary {
  id: string;
  description: string;
  hint: string | undefined;
  source: 'builtin' | string;
  defaultAction: Action;
}

/**
 * One entry point per kind of input, so that no input is ever taken for another kind by its shape
 * (a Kubernetes object may have any fields, `images` and `errors` included). A report never throws
 * for bad input: what cannot be read is in `report.errors` and makes the verdict `error`.
 */
export interface Engine {
  /** YAML or JSON text, one or many documents (`---`), Lists unpacked: findings carry file, line and column. */
  evaluateText(text: string, options?: EvaluateTextOptions): Promise<Report>;
  /**
   * One Kubernetes object given as data (an AdmissionReview's object, a Kubernetes client's answer);
   * a `List` is unpacked. Findings carry JSON pointers into it instead of lines.
   */
  evaluateObject(object: Readonly<Record<string, unknown>>, options?: EvaluateOptions): Promise<Report>;
  /** Kubernetes objects given as data, in order; anything in the array that is not an object is a load error. */
  evaluateObjects(objects: readonly unknown[], options?: EvaluateOptions): Promise<Report>;
  /**
   * Manifests loaded already (loadManifests, loadManifestObjects, loadManifestFiles), e.g. to look
   * at their objects first or to evaluate one load under several namespaces.
   */
  evaluateLoaded(loaded: LoadedManifests, options?: EvaluateOptions): Promise<Report>;
  explain(namespace: string, labels?: Readonly<Record<string, string>>): NamespaceExplanation;
  /** Compiles and swaps atomically; on failure keeps serving the last good plans. */
  reload(policies: readonly PolicyDocument[]): ReloadResult;
  /** Fingerprint of the plans now serving. */
  readonly fingerprint: string;
  policies(): PolicySummary[];
  rules(): RuleSummary[];
  /** Warnings from the last successful compile (e.g. a registry prefix without a trailing `/`). */
  warnings(): Diagnostic[];
  cacheStats(): CacheStats;
  /** Record a namespace's labels (e.g. from a namespaces file or the Kubernetes API); undefined forgets them. */
  setNamespaceLabels(namespace: string, labels: Readonly<Record<string, string>> | undefined): void;
  /**
   * Whether this engine reads a pod spec from objects of this kind: the core workload kinds, plus
   * the `manifests.podSpecPaths` it was created with. An admission webhook asks this to decide what
   * to evaluate, so that it checks exactly the kinds `check` does.
   */
  runsPods(apiVersion: string, kind: string): boolean;
}
