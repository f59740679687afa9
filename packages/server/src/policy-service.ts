import {
  type Diagnostic,
  type Engine,
  formatDiagnostic,
  type PolicyDocument,
  type PolicySummary,
  PullguardAggregateError,
  PullguardError,
} from '@pullguard/engine';
import type { Logger } from './logger.js';

export type ReloadTrigger = 'startup' | 'watch' | 'api';

/** The outcome of the latest load or reload attempt (OpenAPI `ReloadState`). */
export interface ReloadState {
  ok: boolean;
  /** ISO date-time. */
  at: string;
  trigger: ReloadTrigger;
  fingerprint?: string;
  errors?: Diagnostic[];
}

export interface PolicyStatus {
  /** A policy set is loaded and serving. */
  ready: boolean;
  fingerprint: string | null;
  policies: number;
  /** Policy files and directories read (and watched). */
  sources: readonly string[];
  lastReload: ReloadState | undefined;
  /** Loads and reloads by outcome, and how many policies successful reloads removed in all. */
  reloads: { ok: number; failed: number; removedPolicies: number };
}

export type ReloadOutcome =
  | { ok: true; fingerprint: string; warnings: Diagnostic[] }
  | { ok: false; errors: Diagnostic[] };

/** Where the app gets its engine and what it reports about the policy set serving. */
export interface PolicyService {
  /** Undefined until the first policy set loads. */
  readonly engine: Engine | undefined;
  status(): PolicyStatus;
  /** Re-read the policy sources and swap atomically; undefined when the set is fixed (an engine given directly). */
  readonly reload: ((trigger: ReloadTrigger) => Promise<ReloadOutcome>) | undefined;
}

/** A fixed engine (tests, benchmarks, embedding): always ready, never reloads. */
export function fixedPolicies(engine: Engine): PolicyService {
  return {
    engine,
    reload: undefined,
    status: () => ({
      ready: true,
      fingerprint: engine.fingerprint,
      policies: engine.policies().length,
      sources: [],
      lastReload: undefined,
      reloads: { ok: 0, failed: 0, removedPolicies: 0 },
    }),
  };
}

export interface FilePolicyOptions {
  paths: readonly string[];
  /** Reads and parses the policy files; throws PullguardAggregateError listing every problem. */
  load(paths: readonly string[]): Promise<PolicyDocument[]>;
  /** Builds the engine around the first good set (later sets go through `engine.reload`). */
  createEngine(policies: readonly PolicyDocument[]): Engine;
  /** Runs after every successful (re)load, e.g. to re-read the namespaces file. */
  afterLoad?: ((engine: Engine) => Promise<void>) | undefined;
  logger: Logger;
  now?: (() => Date) | undefined;
}

/**
 * Policies read from files: loaded once at startup, reloaded on file changes and on request.
 * Reloads run one at a time (a reload requested during another runs after it, on fresh files);
 * a set that does not load is reported (logs with file:line, `/readyz`, metrics) and the last
 * good set keeps serving — nothing is lost.
 */
export class FilePolicies implements PolicyService {
  #engine: Engine | undefined;
  #lastReload: ReloadState | undefined;
  #reloads = { ok: 0, failed: 0, removedPolicies: 0 };
  #queue: Promise<unknown> = Promise.resolve();
  readonly #options: FilePolicyOptions;

  constructor(options: FilePolicyOptions) {
    this.#options = options;
  }

  get engine(): Engine | undefined {
    return this.#engine;
  }

  readonly reload = (trigger: ReloadTrigger): Promise<ReloadOutcome> => {
    const run = this.#queue.then(() => this.#reloadNow(trigger));
    this.#queue = run.catch(() => undefined);
    return run;
  };

  status(): PolicyStatus {
    const engine = this.#engine;
    return {
      ready: engine !== undefined,
      fingerprint: engine?.fingerprint ?? null,
      policies: engine?.policies().length ?? 0,
      sources: this.#options.paths,
      lastReload: this.#lastReload,
      reloads: { ...this.#reloads },
    };
  }

  /**
   * A reload that loads is not necessarily what was meant: deleting a policy file (or emptying
   * it of one policy) silently stops enforcing that policy. Each removed policy is logged, as a
   * warning, and counted (pullguard_policies_removed_total).
   */
  #reportRemoved(before: readonly PolicySummary[], trigger: ReloadTrigger): void {
    const now = new Set((this.#engine?.policies() ?? []).map((p) => p.name));
    const removed = before.filter((p) => !now.has(p.name));
    if (removed.length === 0) return;
    this.#reloads.removedPolicies += removed.length;
    this.#options.logger.warn(
      { trigger, removed: removed.map((p) => p.name) },
      `the reload removed ${removed.length === 1 ? '1 policy' : `${removed.length} policies`}: ${described(removed)}; they no longer apply`,
    );
  }

  async #reloadNow(trigger: ReloadTrigger): Promise<ReloadOutcome> {
    const { logger } = this.#options;
    const at = (this.#options.now?.() ?? new Date()).toISOString();
    let outcome: ReloadOutcome;
    const before = this.#engine?.policies() ?? [];
    try {
      const documents = await this.#options.load(this.#options.paths);
      if (this.#engine === undefined) {
        this.#engine = this.#options.createEngine(documents);
        outcome = { ok: true, fingerprint: this.#engine.fingerprint, warnings: this.#engine.warnings() };
      } else {
        const result = this.#engine.reload(documents);
        outcome = result.ok
          ? { ok: true, fingerprint: result.fingerprint, warnings: result.warnings }
          : { ok: false, errors: result.errors };
      }
      if (outcome.ok) await this.#options.afterLoad?.(this.#engine);
    } catch (error) {
      outcome = { ok: false, errors: diagnosticsOf(error) };
    }
    if (outcome.ok) {
      this.#reloads.ok++;
      this.#lastReload = { ok: true, at, trigger, fingerprint: outcome.fingerprint };
      logger.info(
        { trigger, fingerprint: outcome.fingerprint, policies: this.#engine?.policies().length },
        'policies loaded',
      );
      for (const w of outcome.warnings) logger.warn({ trigger }, `policy warning: ${formatDiagnostic(w)}`);
      this.#reportRemoved(before, trigger);
    } else {
      this.#reloads.failed++;
      this.#lastReload = { ok: false, at, trigger, errors: outcome.errors };
      const serving = this.#engine?.fingerprint;
      logger.error(
        { trigger, serving: serving ?? null, errors: outcome.errors.map(formatDiagnostic) },
        serving === undefined
          ? 'policies failed to load; not ready until they do'
          : 'policies failed to reload; the last good set keeps serving',
      );
    }
    return outcome;
  }
}

/** Names, in "a (file), b (file)" form, for logs. */
function described(policies: readonly PolicySummary[]): string {
  return policies.map((p) => (p.file ? `${p.name} (${p.file})` : p.name)).join(', ');
}

/** Every problem an error carries, as diagnostics (file:line:column when known). */
function diagnosticsOf(error: unknown): Diagnostic[] {
  if (error instanceof PullguardAggregateError) return [...error.diagnostics];
  if (error instanceof PullguardError) return [error.toDiagnostic()];
  const message = error instanceof Error ? error.message : String(error);
  return [{ code: 'INTERNAL', message, severity: 'error' }];
}
