import type { SourceLocation } from './types.js';

/**
 * The one registry of pullguard's error codes. Every error the engine raises or reports carries
 * one of these codes; the edges (CLI, server) map the `category` to exit codes and HTTP statuses,
 * and nothing else in the engine knows about either.
 *
 * - `input`:    the manifests or request given to pullguard are malformed (exit 2, HTTP 400/413/415)
 * - `policy`:   a policy, plugin or configuration cannot be loaded or compiled (exit 2, HTTP 400/503)
 * - `rule`:     a rule failed while evaluating (reported as a finding with status `error`)
 * - `internal`: a bug or an environment failure (exit 2, HTTP 500)
 */
export const ERROR_CODES = {
  // image references and manifests
  INVALID_IMAGE_REFERENCE: { category: 'input', summary: 'the image reference does not parse' },
  YAML_SYNTAX: { category: 'input', summary: 'the YAML is not well formed' },
  YAML_TAG: {
    category: 'input',
    summary: 'a YAML tag that Kubernetes would decode to another value, or reject',
  },
  JSON_SYNTAX: { category: 'input', summary: 'the JSON is not well formed' },
  TEMPLATE_NOT_RENDERED: { category: 'input', summary: 'the file is an unrendered template' },
  NOT_AN_OBJECT: { category: 'input', summary: 'a document is not a Kubernetes object' },
  MISSING_KIND: { category: 'input', summary: 'a Kubernetes object has no kind' },
  INVALID_FIELD: { category: 'input', summary: 'a field of a Kubernetes object has the wrong type' },
  DOCUMENT_TOO_LARGE: { category: 'input', summary: 'a document exceeds the size limit' },
  TOO_MANY_ALIASES: { category: 'input', summary: 'a document expands too many YAML aliases' },
  TOO_DEEP: { category: 'input', summary: 'a document nests deeper than allowed' },
  INPUT_READ_FAILED: { category: 'input', summary: 'an input file could not be read' },
  // what a run read (reported by the CLI's check: a run that judged nothing is never green)
  NO_WORKLOADS: {
    category: 'input',
    summary: 'the inputs hold no Kubernetes workloads: nothing was checked',
  },
  KIND_NOT_READ: {
    category: 'input',
    summary: 'objects of a kind known to run pods were not read (it is not enabled)',
  },
  SOURCE_NOT_RENDERED: {
    category: 'input',
    summary: 'a kustomization or Helm chart is not checked as raw YAML: it must be rendered',
  },
  NAMESPACE_LABELS_UNKNOWN: {
    category: 'input',
    summary: "a namespace's labels are unknown, so a policy's namespaceSelector could not be judged",
  },
  // policies
  POLICY_SYNTAX: { category: 'policy', summary: 'a policy file is not well-formed YAML or JSON' },
  POLICY_SCHEMA: { category: 'policy', summary: 'a policy does not match the PullPolicy schema' },
  POLICY_DUPLICATE_NAME: { category: 'policy', summary: 'two policies have the same name' },
  POLICY_UNKNOWN_EXTENDS: { category: 'policy', summary: 'a policy extends a policy that does not exist' },
  POLICY_EXTENDS_CYCLE: { category: 'policy', summary: 'policies extend each other in a cycle' },
  POLICY_UNKNOWN_RULE: {
    category: 'policy',
    summary: 'a policy names a rule that no built-in or plugin provides',
  },
  POLICY_BAD_OPTIONS: { category: 'policy', summary: "a rule's `with` options are invalid" },
  POLICY_BAD_GLOB: { category: 'policy', summary: 'a namespace or image glob is invalid' },
  POLICY_BAD_SELECTOR: { category: 'policy', summary: 'a label selector is invalid' },
  POLICY_BAD_PATTERN: { category: 'policy', summary: 'a registry or tag pattern is invalid or unsafe' },
  POLICY_BAD_EXPRESSION: { category: 'policy', summary: 'a JSON Logic expression is invalid or unsafe' },
  POLICY_BAD_EXEMPTION: { category: 'policy', summary: 'an exemption is invalid' },
  POLICY_READ_FAILED: { category: 'policy', summary: 'a policy file or directory could not be read' },
  POLICY_NONE: { category: 'policy', summary: 'no policies were found' },
  // plugins and configuration
  PLUGIN_INVALID: { category: 'policy', summary: 'a plugin does not satisfy the plugin contract' },
  PLUGIN_DUPLICATE_RULE: { category: 'policy', summary: 'two rules have the same id' },
  PLUGIN_UNSUPPORTED_API: {
    category: 'policy',
    summary: 'a plugin targets an SDK contract version this engine does not support',
  },
  PLUGIN_LOAD_FAILED: { category: 'policy', summary: 'a plugin module could not be imported' },
  CONFIG_INVALID: { category: 'policy', summary: 'a configuration file is invalid' },
  TEST_INVALID: { category: 'policy', summary: 'a policy test file (pullguard test) is invalid' },
  // evaluation
  RULE_ERROR: { category: 'rule', summary: 'a rule threw or rejected' },
  RULE_TIMEOUT: { category: 'rule', summary: 'a rule did not answer in time' },
  RULE_SKIPPED: { category: 'rule', summary: 'a rule cannot be judged on this input and was not run' },
  REGISTRY_ERROR: {
    category: 'rule',
    summary: 'a registry could not be asked (unreachable, refusing, rate limiting, too slow)',
  },
  REGISTRY_NOT_CHECKED: {
    category: 'rule',
    summary: 'a registry rule was not checked: no registry access is configured (offline)',
  },
  EXEMPTION_EXPIRING: { category: 'policy', summary: 'an exemption expires within 14 days' },
  INTERNAL: { category: 'internal', summary: 'an unexpected internal error' },
} as const satisfies Record<string, { category: ErrorCategory; summary: string }>;

export type ErrorCategory = 'input' | 'policy' | 'rule' | 'internal';
export type ErrorCode = keyof typeof ERROR_CODES;

/** A problem found while loading or evaluating, as data: what the report's `errors[]` holds. */
export interface Diagnostic {
  code: ErrorCode;
  message: string;
  /** Where the problem is: file, 1-based line and column. */
  location?: SourceLocation | undefined;
  /** The offending field as a dotted or JSON-pointer path (`spec.rules[2].with.registries`). */
  field?: string | undefined;
  severity: 'error' | 'warning';
}

/**
 * Brands that survive module duplication: the bundled CLI carries its own copy of the engine while a
 * plugin imports `@pullguard/sdk`'s, so an error thrown by one copy must still be recognised by the
 * other. `Symbol.for` keys are shared across copies; `Symbol.hasInstance` makes `instanceof` use them.
 */
const ERROR_BRAND = Symbol.for('pullguard.error');
const AGGREGATE_BRAND = Symbol.for('pullguard.aggregate-error');

function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** The error every engine function throws: a stable code, a message that says what, and where. */
export class PullguardError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, ERROR_BRAND);
  }

  override readonly name = 'PullguardError';
  readonly code: ErrorCode;
  readonly location: SourceLocation | undefined;
  readonly field: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { location?: SourceLocation | undefined; field?: string | undefined; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, ERROR_BRAND, { value: true });
    this.code = code;
    this.location = options.location;
    this.field = options.field;
  }

  get category(): ErrorCategory {
    return ERROR_CODES[this.code].category;
  }

  toDiagnostic(severity: Diagnostic['severity'] = 'error'): Diagnostic {
    return { code: this.code, message: this.message, location: this.location, field: this.field, severity };
  }
}

/** Several problems reported together (policy loading collects all of them, sorted by location). */
export class PullguardAggregateError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, AGGREGATE_BRAND);
  }

  override readonly name = 'PullguardAggregateError';
  readonly diagnostics: readonly Diagnostic[];
  constructor(message: string, diagnostics: readonly Diagnostic[]) {
    super(`${message}:\n${diagnostics.map(formatDiagnostic).join('\n')}`);
    Object.defineProperty(this, AGGREGATE_BRAND, { value: true });
    this.diagnostics = [...diagnostics].sort(compareDiagnostics);
  }
}

export function isPullguardError(error: unknown): error is PullguardError {
  return error instanceof PullguardError;
}

/** `file:line:column: CODE message (field)` — the one textual form used by the CLI, logs and aggregate errors. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${d.location.file ?? '<input>'}:${d.location.line}:${d.location.column}: ` : '';
  const field = d.field ? ` (at ${d.field})` : '';
  return `${where}${d.code} ${d.message}${field}`;
}

/** Sort by file, line, column, then code: reports and error lists are stable across runs. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const fa = a.location?.file ?? '';
  const fb = b.location?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  const la = a.location?.line ?? 0;
  const lb = b.location?.line ?? 0;
  if (la !== lb) return la - lb;
  const ca = a.location?.column ?? 0;
  const cb = b.location?.column ?? 0;
  if (ca !== cb) return ca - cb;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}
