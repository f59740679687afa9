import type { CacheStats, Report } from '@pullguard/engine';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { NamespaceLabelsStatus, UnknownLabelsMode } from './namespaces/namespace-labels.js';
import type { PolicyStatus } from './policy-service.js';

export type Endpoint = 'evaluate' | 'validate' | 'mutate';

/** What the metrics read at scrape time (no polling, no timers). */
export interface MetricsSources {
  cacheStats(): CacheStats | undefined;
  policyStatus(): PolicyStatus;
  namespaceStatus(): NamespaceLabelsStatus;
}

/**
 * The server's metrics, on the Registry it is given (one per app instance: no global state, so
 * tests and embedders can run several apps in one process). Handlers call these methods and
 * never touch prom-client directly.
 */
export interface ServerMetrics {
  readonly registry: Registry;
  observeRequest(route: string, method: string, status: number, seconds: number): void;
  /** A finished evaluation. Dry runs are not counted as real verdicts or findings. */
  recordReport(endpoint: Endpoint, report: Report, dryRun: boolean): void;
  recordAdmission(webhook: 'validate' | 'mutate', operation: string, allowed: boolean, dryRun: boolean): void;
  /** An evaluation that could not finish: `error` (thrown), `timeout`, or `not-ready`. */
  recordEvaluationFailure(endpoint: Endpoint, reason: 'error' | 'timeout' | 'not-ready'): void;
  /** An admission whose namespace's labels were unknown while a policy selecting by label could govern it. */
  recordUnknownLabels(webhook: 'validate' | 'mutate', mode: UnknownLabelsMode): void;
  /** A Namespace review: its labels `learned`, or `ignored` (learning off, or not from the authenticated API server). */
  recordNamespaceReview(result: 'learned' | 'ignored'): void;
}

export function createMetrics(registry: Registry, sources: MetricsSources): ServerMetrics {
  const registers = [registry];
  const duration = new Histogram({
    name: 'pullguard_http_request_duration_seconds',
    help: 'HTTP request duration by route, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers,
  });
  const evaluations = new Tally(
    registry,
    'pullguard_evaluations_total',
    'Evaluations by endpoint and verdict (dry runs excluded).',
    ['endpoint', 'verdict'] as const,
  );
  const failures = new Counter({
    name: 'pullguard_evaluation_failures_total',
    help: 'Evaluations that could not finish, by endpoint and reason (error, timeout, not-ready).',
    labelNames: ['endpoint', 'reason'] as const,
    registers,
  });
  const findings = new Tally(
    registry,
    'pullguard_findings_total',
    'Findings by rule and action (dry runs excluded).',
    ['rule', 'action'] as const,
  );
  const ruleErrors = new Tally(
    registry,
    'pullguard_rule_errors_total',
    'Findings with status error: a rule or plugin threw, rejected or timed out.',
    ['rule'] as const,
  );
  const admissions = new Tally(
    registry,
    'pullguard_admission_reviews_total',
    'AdmissionReviews answered, by webhook, operation, decision and dry run.',
    ['webhook', 'operation', 'allowed', 'dry_run'] as const,
  );
  // Read from the engine and the policy service when Prometheus scrapes.
  new Counter({
    name: 'pullguard_cache_hits_total',
    help: 'Result cache hits.',
    registers,
    collect() {
      this.reset();
      this.inc(sources.cacheStats()?.hits ?? 0);
    },
  });
  new Counter({
    name: 'pullguard_cache_misses_total',
    help: 'Result cache misses.',
    registers,
    collect() {
      this.reset();
      this.inc(sources.cacheStats()?.misses ?? 0);
    },
  });
  new Gauge({
    name: 'pullguard_cache_entries',
    help: 'Result cache size (entries).',
    registers,
    collect() {
      this.set(sources.cacheStats()?.size ?? 0);
    },
  });
  new Counter({
    name: 'pullguard_policy_reloads_total',
    help: 'Policy loads and reloads by result (ok, failed).',
    labelNames: ['result'] as const,
    registers,
    collect() {
      const { reloads } = sources.policyStatus();
      this.reset();
      this.inc({ result: 'ok' }, reloads.ok);
      this.inc({ result: 'failed' }, reloads.failed);
    },
  });
  new Gauge({
    name: 'pullguard_policy_last_reload_success',
    help: '1 when the latest load or reload succeeded, 0 when it failed (the last good set keeps serving).',
    registers,
    collect() {
      const { lastReload } = sources.policyStatus();
      this.set(lastReload === undefined || lastReload.ok ? 1 : 0);
    },
  });
  new Gauge({
    name: 'pullguard_policies_loaded',
    help: 'Policies in the set now serving (0 before the first successful load).',
    registers,
    collect() {
      this.set(sources.policyStatus().policies);
    },
  });

  new Counter({
    name: 'pullguard_policies_removed_total',
    help: 'Policies that a successful reload removed (a policy file deleted, a document taken out).',
    registers,
    collect() {
      this.reset();
      this.inc(sources.policyStatus().reloads.removedPolicies);
    },
  });
  const unknownLabels = new Counter({
    name: 'pullguard_namespace_labels_unknown_total',
    help: 'Admissions in a namespace whose labels were unknown while a policy selecting namespaces by label could govern it, by webhook and --unknown-labels mode.',
    labelNames: ['webhook', 'mode'] as const,
    registers,
  });
  const namespaceReviews = new Counter({
    name: 'pullguard_namespace_reviews_total',
    help: 'Namespace admission reviews: labels learned, or ignored (learning off, or not from the authenticated API server).',
    labelNames: ['result'] as const,
    registers,
  });
  new Gauge({
    name: 'pullguard_namespace_labels_synced',
    help: '1 once namespace labels are read (the Kubernetes API: its first list has completed), else 0.',
    registers,
    collect() {
      this.set(sources.namespaceStatus().synced ? 1 : 0);
    },
  });
  new Gauge({
    name: 'pullguard_namespace_labels',
    help: 'Namespaces whose labels are known.',
    registers,
    collect() {
      this.set(sources.namespaceStatus().namespaces);
    },
  });
  new Counter({
    name: 'pullguard_namespace_watch_restarts_total',
    help: 'Kubernetes API namespace watches started again: closed (the API server ended one), gone (410: listed again), error (retried with backoff).',
    labelNames: ['reason'] as const,
    registers,
    collect() {
      this.reset();
      for (const [reason, count] of Object.entries(sources.namespaceStatus().watchRestarts))
        this.inc({ reason }, count);
    },
  });

  // The histogram's labelled children are looked up once per label combination (prom-client
  // converts label objects on every call otherwise, which shows on the admission hot path).
  const durationChildren = new Map<string, { observe(value: number): void }>();

  return {
    registry,
    observeRequest(route, method, status, seconds) {
      const key = `${route} ${method} ${status}`;
      let child = durationChildren.get(key);
      if (child === undefined) {
        child = duration.labels(route, method, String(status));
        durationChildren.set(key, child);
      }
      child.observe(seconds);
    },
    recordReport(endpoint, report, dryRun) {
      if (dryRun) return;
      evaluations.inc(`${endpoint} ${report.verdict}`, () => ({ endpoint, verdict: report.verdict }));
      for (const f of report.findings) {
        findings.inc(`${f.rule}\u0000${f.action}`, () => ({ rule: f.rule, action: f.action }));
        if (f.status === 'error') ruleErrors.inc(f.rule, () => ({ rule: f.rule }));
      }
    },
    recordAdmission(webhook, operation, allowed, dryRun) {
      admissions.inc(`${webhook} ${operation} ${allowed} ${dryRun}`, () => ({
        webhook,
        operation,
        allowed: String(allowed),
        dry_run: String(dryRun),
      }));
    },
    recordEvaluationFailure(endpoint, reason) {
      failures.inc({ endpoint, reason });
    },
    recordUnknownLabels(webhook, mode) {
      unknownLabels.inc({ webhook, mode });
    },
    recordNamespaceReview(result) {
      namespaceReviews.inc({ result });
    },
  };
}

/**
 * A counter kept as plain numbers on the hot path (one Map lookup by a key the caller builds) and
 * handed to prom-client when Prometheus scrapes (docs/performance-invariants.md#metrics-as-plain-numbers).
 */
export class Tally<L extends string> {
  readonly #counts = new Map<string, { labels: Record<L, string>; value: number }>();

  constructor(registry: Registry, name: string, help: string, labelNames: readonly L[]) {
    const counts = this.#counts;
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const { labels, value } of counts.values()) this.inc(labels, value);
      },
    });
  }

  /** `key` identifies the label values; `labels` builds them the first time only. */
  inc(key: string, labels: () => Record<L, string>): void {
    const entry = this.#counts.get(key);
    if (entry === undefined) this.#counts.set(key, { labels: labels(), value: 1 });
    else entry.value++;
  }
}
