/**
 * The rule contract: built-in rules and plugin rules implement the same interface, so a policy
 * uses `- rule: require-digest` and `- rule: acme/no-busybox` the same way. The engine owns this
 * contract; `@pullguard/sdk` only re-exports it with authoring helpers.
 */
import type { ErrorCode } from './errors.js';
import type { RegistryFailureKind } from './registry-contract.js';
import type { Action, ContainerType, PullPolicy, SourceLocation } from './types.js';

/** The version of this contract. A plugin declares the version it was written for. */
export const PLUGIN_API_VERSION = 1;
export const SUPPORTED_PLUGIN_API_VERSIONS: readonly number[] = [1];

/**
 * The facts about one image that rules see — the same object for built-in rules, plugin rules
 * and JSON Logic `expression` rules (documented in docs/policies.md). Absent values are `null`
 * (not `undefined`) so that JSON Logic and JSON serialisation see them alike. Read-only all the
 * way down, as at run time: the facts a plugin rule gets are deeply frozen (evaluate/facts.ts).
 */
export interface Facts {
  readonly image: {
    readonly raw: string;
    /** false when the reference does not parse; then name…familiar are null and `error` says why. */
    readonly valid: boolean;
    readonly error: string | null;
    readonly name: string | null;
    readonly domain: string | null;
    readonly path: string | null;
    readonly tag: string | null;
    readonly digest: string | null;
    readonly familiar: string | null;
  };
  readonly pullPolicy: {
    readonly declared: string | null;
    readonly effective: PullPolicy;
    readonly explicit: boolean;
  };
  readonly container: { readonly name: string; readonly type: ContainerType };
  readonly workload: {
    readonly apiVersion: string;
    readonly kind: string;
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  /** `labels` is null when the namespace's labels are unknown (then selectors do not match). */
  readonly namespace: { readonly name: string; readonly labels: Readonly<Record<string, string>> | null };
  readonly pod: { readonly imagePullSecrets: readonly string[] };
  /** True when the object came through the API server (admission): defaults are already applied. */
  readonly admitted: boolean;
  /**
   * What the image's registry says now. Looked up only for plans with a rule that declares
   * `registry` in its `reads` (the built-in registry rules, an expression naming `registry.…`);
   * otherwise `status` is `not-checked`.
   */
  readonly registry: RegistryFacts;
}

/**
 * `resolved`: the registry answered with a digest. `not-found`: the registry says the tag or
 * digest does not exist (404). `error`: the registry could not be asked or refused (unauthorized,
 * rate limited, unreachable, timeout, TLS, protocol). `not-checked`: no lookup was made (no
 * registry access configured, `--offline`, no rule reads the registry, or the image does not parse).
 */
export type RegistryStatus = 'resolved' | 'not-found' | 'error' | 'not-checked';

export interface RegistryFacts {
  /** The lookup of what kubelet pulls: the pinned digest when the image has one, else the tag. */
  readonly status: RegistryStatus;
  /** The digest kubelet pulls now: the pinned digest when it exists, else the digest the tag names. */
  readonly digest: string | null;
  /** True for a multi-platform image (OCI index / Docker manifest list); null when not resolved. */
  readonly index: boolean | null;
  /** True when an answer came from a cache past its freshness because the registry failed. */
  readonly stale: boolean;
  /**
   * The lookup of the tag (`latest` when the image has neither tag nor digest); null for an image
   * pinned by digest alone (`not-checked` when no lookup was made at all). For an image with a tag
   * only, the same as `status`.
   */
  readonly tagStatus: RegistryStatus | null;
  /** The digest the tag names now; null when it has none or was not resolved. */
  readonly tagDigest: string | null;
  /** The registry host of the failed lookup (`registry-1.docker.io`), when one failed. */
  readonly host: string | null;
  readonly failureKind: RegistryFailureKind | null;
  /** Why a lookup failed or was not made. */
  readonly message: string | null;
  /** What to do about a failure (`run docker login HOST`). */
  readonly hint: string | null;
}

export type FactGroup = keyof Facts;

/** What a rule returns when it finds a violation. */
export interface RuleViolation {
  message: string;
  /** A change that would satisfy the rule (used by `fix` and, when the policy says `mutate: true`, the webhook). */
  fix?: { imagePullPolicy: PullPolicy } | undefined;
  notes?: string[] | undefined;
}

/** `undefined`/`void` = pass; one violation or several. */
// biome-ignore lint/suspicious/noConfusingVoidType: lets a `check` that passes simply return nothing
export type RuleOutcome = void | undefined | RuleViolation | readonly RuleViolation[];

export interface RuleContext<Options> {
  /** The validated (and, if the rule has `prepare`, prepared) `with:` options of this policy entry. */
  readonly options: Options;
  readonly policy: string;
  readonly namespace: string;
  /** The injected clock's current time (ms since epoch). */
  readonly now: number;
  /** Aborted when the rule's timeout expires. */
  readonly signal: AbortSignal;
  fail(message: string, extra?: Omit<RuleViolation, 'message'>): RuleViolation;
}

/** Where a policy entry is written, passed to `prepare` so that option errors say where. */
export interface RuleEntryContext {
  policy: string;
  location?: SourceLocation | undefined;
  /** Field path of the entry's options (`spec.rules[1].with`). */
  field: string;
  /** The whole rule entry as written (for rules like `expression` that read `when`/`message`). */
  entry: Readonly<Record<string, unknown>>;
}

/** A problem `prepare` found in the options; thrown as PullguardError by the compiler. */
export interface OptionProblem {
  message: string;
  /** Path below the entry's options (`registries[2]`), or below the entry itself when `scope` is `entry`. */
  field?: string | undefined;
  /** What `field` is relative to: the entry's `with:` options (default) or the entry (`when.and[1]`). */
  scope?: 'options' | 'entry' | undefined;
  /** Default POLICY_BAD_OPTIONS; e.g. POLICY_BAD_PATTERN for a bad registry pattern, POLICY_BAD_EXPRESSION for JSON Logic. */
  code?: ErrorCode | undefined;
  severity?: 'error' | 'warning' | undefined;
}

export interface RuleDefinition<Options = unknown, Prepared = Options> {
  /** Built-ins: `require-digest`. Plugins: `<plugin>/<rule>`. */
  id: string;
  description: string;
  /** Used when neither the entry nor the policy sets an action. */
  defaultAction?: Action | undefined;
  /** One sentence telling a person how to fix a violation. */
  hint?: string | undefined;
  /**
   * Results may be cached when the same facts give the same outcome. Default true for built-ins;
   * rules that call services or read the clock must say false.
   */
  deterministic?: boolean | undefined;
  /**
   * Set when the rule cannot be judged on objects that came through the API server (`facts.admitted`),
   * because defaulting has already filled in what it checks. The evaluator then does not run it on
   * admitted input and reports this sentence once per report as a RULE_SKIPPED warning.
   */
  skipWhenAdmitted?: string | undefined;
  /** The fact groups the rule reads; the result cache keys on exactly these. Default: all. */
  reads?: readonly FactGroup[] | undefined;
  /** JSON Schema (draft 2020-12 subset that ajv supports) for the entry's `with:` options. */
  options?: Record<string, unknown> | undefined;
  /**
   * Compile options once at policy load (normalize patterns, compile regexes). Return problems
   * through `report`; the returned value is what `ctx.options` holds at evaluation.
   */
  prepare?:
    | ((options: Options, entry: RuleEntryContext, report: (p: OptionProblem) => void) => Prepared)
    | undefined;
  check(facts: Facts, ctx: RuleContext<Prepared>): RuleOutcome | Promise<RuleOutcome>;
}

export interface PluginDefinition {
  name: string;
  /** The contract version the plugin was written for (PLUGIN_API_VERSION when omitted). */
  apiVersion?: number | undefined;
  version?: string | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: a plugin mixes rules with different option types
  rules: readonly RuleDefinition<any, any>[];
}
