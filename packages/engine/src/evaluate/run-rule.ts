/**
 * Calling one rule's `check`: synchronous rules cost a function call; a rule that returns a
 * thenable gets a timeout and an AbortSignal. Whatever a rule does (throw, reject, hang, return
 * garbage) becomes a failure the evaluator reports as a finding with status `error`.
 */
import type { RuleContext, RuleOutcome, RuleViolation } from '../rule-contract.js';
import { PULL_POLICIES, type PullPolicy } from '../types.js';

export interface RuleFailure {
  code: 'RULE_ERROR' | 'RULE_TIMEOUT';
  message: string;
}

/** undefined = pass; a list = the violations; otherwise the rule failed. */
export type RuleResult = undefined | readonly RuleViolation[] | RuleFailure;

export function isFailure(result: RuleResult): result is RuleFailure {
  return result !== undefined && !Array.isArray(result);
}

/**
 * The context of a rule's calls. Synchronous calls of one rule instance reuse it (the evaluator
 * sets `namespace` and `now` before each with `enter`); a call that returns a thenable keeps it for
 * itself. Its AbortController exists only if the rule asks for `signal` or times out. Instances and
 * the prototype are frozen and the state is private: a rule can neither rewrite what its context
 * says nor patch `fail` for the rules after it.
 */
export class CallContext implements RuleContext<unknown> {
  #controller: AbortController | undefined;
  #namespace = '';
  #now = 0;
  readonly options: unknown;
  readonly policy: string;

  constructor(options: unknown, policy: string) {
    this.options = options;
    this.policy = policy;
    Object.freeze(this);
  }

  get namespace(): string {
    return this.#namespace;
  }

  get now(): number {
    return this.#now;
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  /** Called by the evaluator before each call. */
  enter(namespace: string, now: number): void {
    this.#namespace = namespace;
    this.#now = now;
  }

  abort(reason: unknown): void {
    this.#controller ??= new AbortController();
    this.#controller.abort(reason);
  }

  fail(message: string, extra?: Omit<RuleViolation, 'message'>): RuleViolation {
    // One object shape for every violation (no spread): cheaper to build and to read.
    return { message, fix: extra?.fix, notes: extra?.notes };
  }
}
Object.freeze(CallContext.prototype);

// biome-ignore lint/suspicious/noExplicitAny: any rule's check
type Check = (facts: any, ctx: any) => RuleOutcome | Promise<RuleOutcome>;

export function runRule(
  check: Check,
  facts: unknown,
  ctx: CallContext,
  ruleId: string,
  timeoutMs: number,
  builtin = false,
): RuleResult | Promise<RuleResult> {
  // Everything that touches what the rule handed back runs inside the try: a getter on `message`
  // or `then` is the rule's code too.
  try {
    const outcome: unknown = check(facts, ctx);
    if (builtin) return builtinResult(outcome);
    const then = thenOf(outcome);
    if (then !== undefined) return settle(outcome as object, then, ctx, ruleId, timeoutMs);
    return normalize(outcome, ruleId);
  } catch (error) {
    return ruleFailure('RULE_ERROR', `rule ${ruleId} threw: ${describeThrown(error)}`);
  }
}

/**
 * A built-in rule's outcome as a result, unchecked: built-ins are engine code, synchronous, and
 * return nothing or violations made by `ctx.fail` (plain objects nothing else references), so they
 * need none of the copies that protect against plugins (a throw is still caught).
 */
function builtinResult(outcome: unknown): RuleResult {
  if (outcome === undefined || outcome === null) return undefined;
  if (Array.isArray(outcome)) return outcome.length === 0 ? undefined : (outcome as RuleViolation[]);
  return [outcome as RuleViolation];
}

function settle(
  outcome: object,
  then: PromiseLike<unknown>['then'],
  ctx: CallContext,
  ruleId: string,
  timeoutMs: number,
): Promise<RuleResult> {
  return new Promise<RuleResult>((resolve) => {
    const timer = setTimeout(() => {
      const result = timeoutFailure(ruleId, timeoutMs);
      ctx.abort(new Error(result.message));
      resolve(result);
    }, timeoutMs);
    // A thenable may call back more than once, or throw after calling back: the first answer wins.
    const answer = (result: RuleResult) => {
      clearTimeout(timer);
      resolve(result);
    };
    try {
      then.call(
        outcome,
        (value: unknown) => {
          try {
            answer(normalize(value, ruleId));
          } catch (error) {
            answer(
              ruleFailure(
                'RULE_ERROR',
                `rule ${ruleId} answered with a value that threw: ${describeThrown(error)}`,
              ),
            );
          }
        },
        (error: unknown) =>
          answer(ruleFailure('RULE_ERROR', `rule ${ruleId} rejected: ${describeThrown(error)}`)),
      );
    } catch (error) {
      answer(
        ruleFailure(
          'RULE_ERROR',
          `rule ${ruleId} returned a thenable whose then() threw: ${describeThrown(error)}`,
        ),
      );
    }
  });
}

/**
 * RuleOutcome → RuleResult, refusing what is not a violation (a plugin may return anything).
 * Violations are copied into plain objects, each property read once: a getter cannot answer one
 * thing here and another when the report is made, and the report holds nothing of the rule's.
 * May throw (a getter of the rule's); the callers turn that into a failure.
 */
function normalize(outcome: unknown, ruleId: string): RuleResult {
  if (outcome === undefined || outcome === null) return undefined;
  if (!Array.isArray(outcome)) {
    const violation = toViolation(outcome);
    return violation === undefined ? invalid(ruleId, outcome) : [violation];
  }
  if (outcome.length === 0) return undefined;
  const violations: RuleViolation[] = [];
  for (const item of outcome) {
    const violation = toViolation(item);
    if (violation === undefined) return invalid(ruleId, item);
    violations.push(violation);
  }
  return violations;
}

/** A copy of `value` when it is a violation (string `message`, valid `fix`, string `notes`), else undefined. */
function toViolation(value: unknown): RuleViolation | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { message, fix, notes } = value as Record<string, unknown>;
  if (typeof message !== 'string') return undefined;
  let fixCopy: RuleViolation['fix'];
  if (fix !== undefined) {
    const imagePullPolicy =
      typeof fix === 'object' && fix !== null ? (fix as Record<string, unknown>).imagePullPolicy : undefined;
    if (!PULL_POLICIES.includes(imagePullPolicy as PullPolicy)) return undefined;
    fixCopy = { imagePullPolicy: imagePullPolicy as PullPolicy };
  }
  let notesCopy: string[] | undefined;
  if (notes !== undefined) {
    if (!Array.isArray(notes)) return undefined;
    notesCopy = [...(notes as unknown[])] as string[];
    if (!notesCopy.every((note) => typeof note === 'string')) return undefined;
  }
  return { message, fix: fixCopy, notes: notesCopy };
}

function invalid(ruleId: string, outcome: unknown): RuleFailure {
  const shown =
    typeof outcome === 'object' && outcome !== null
      ? 'an object without a string `message` (or with an invalid `fix` or `notes`)'
      : outcome === null
        ? 'null in a list'
        : `a ${typeof outcome}`;
  return ruleFailure(
    'RULE_ERROR',
    `rule ${ruleId} returned ${shown}; expected nothing, a violation or a list of violations`,
  );
}

/** The `then` method of a thenable, read once; undefined for anything else. */
function thenOf(value: unknown): PromiseLike<unknown>['then'] | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  const then = (value as PromiseLike<unknown>).then;
  return typeof then === 'function' ? then : undefined;
}

export function ruleFailure(code: RuleFailure['code'], message: string): RuleFailure {
  return { code, message: `${code}: ${message}` };
}

/** What a rule threw, described without trusting it (its `message` or `toString` may throw too). */
export function describeThrown(error: unknown): string {
  try {
    return error instanceof Error ? String(error.message) : String(error);
  } catch {
    return 'a value that cannot be shown';
  }
}

/** The one wording of a timeout, whether the engine's timer or a plugin worker's fired. */
export function timeoutFailure(ruleId: string, timeoutMs: number): RuleFailure {
  return ruleFailure('RULE_TIMEOUT', `rule ${ruleId} did not answer within ${timeoutMs} ms`);
}
