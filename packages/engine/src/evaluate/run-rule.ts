/**
 * Calling one rule's `check`: synchronous rules cost a function call; a rule that returns a
 * thenable gets a timeout and an AbortSignal. Whatever a rule does (throw, reject, hang, return
 * garbage) becomes a failure the evaluator reports as a finding with status `error`.
 */
import type { RuleContext, RuleOutcome, RuleViolation } from '../rule-contract.js';
import { PULL_POLICIES } from '../types.js';

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
): RuleResult | Promise<RuleResult> {
  let outcome: unknown;
  try {
    outcome = check(facts, ctx);
  } catch (error) {
    return failure('RULE_ERROR', `rule ${ruleId} threw: ${describe(error)}`);
  }
  if (isThenable(outcome)) return settle(outcome, ctx, ruleId, timeoutMs);
  return normalize(outcome, ruleId);
}

function settle(
  outcome: PromiseLike<unknown>,
  ctx: CallContext,
  ruleId: string,
  timeoutMs: number,
): Promise<RuleResult> {
  return new Promise<RuleResult>((resolve) => {
    const timer = setTimeout(() => {
      const result = failure('RULE_TIMEOUT', `rule ${ruleId} did not answer within ${timeoutMs} ms`);
      ctx.abort(new Error(result.message));
      resolve(result);
    }, timeoutMs);
    outcome.then(
      (value) => {
        clearTimeout(timer);
        resolve(normalize(value, ruleId));
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve(failure('RULE_ERROR', `rule ${ruleId} rejected: ${describe(error)}`));
      },
    );
  });
}

/** RuleOutcome → RuleResult, refusing what is not a violation (a plugin may return anything). */
function normalize(outcome: unknown, ruleId: string): RuleResult {
  if (outcome === undefined || outcome === null) return undefined;
  if (Array.isArray(outcome)) {
    if (outcome.length === 0) return undefined;
    return outcome.every(isViolation) ? (outcome as RuleViolation[]) : invalid(ruleId, outcome);
  }
  return isViolation(outcome) ? [outcome] : invalid(ruleId, outcome);
}

function isViolation(value: unknown): value is RuleViolation {
  if (typeof value !== 'object' || value === null) return false;
  const { message, fix } = value as RuleViolation;
  return typeof message === 'string' && (fix === undefined || PULL_POLICIES.includes(fix.imagePullPolicy));
}

function invalid(ruleId: string, outcome: unknown): RuleFailure {
  const shown =
    typeof outcome === 'object'
      ? 'an object without a string `message` (or with an invalid `fix`)'
      : `a ${typeof outcome}`;
  return failure(
    'RULE_ERROR',
    `rule ${ruleId} returned ${shown}; expected nothing, a violation or a list of violations`,
  );
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

function failure(code: RuleFailure['code'], message: string): RuleFailure {
  return { code, message: `${code}: ${message}` };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
