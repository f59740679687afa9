/**
 * Policy reports as Kyverno writes them and Policy Reporter reads them: `wgpolicyk8s.io/v1alpha2`
 * PolicyReport / ClusterPolicyReport (kubernetes-sigs/wg-policy-prototypes, policy-report/crd/v1alpha2)
 * and their successor `openreports.io/v1alpha1` Report / ClusterReport (openreports/reports-api),
 * which have the same result fields and a report-level `source`.
 *
 * One report per namespace, holding the results of the objects in it (`scope` is the Namespace);
 * one cluster-wide report for results that belong to no namespace. Each report counts its results
 * in `summary`. A report is one etcd object: it is split before it grows past REPORT_MAX_BYTES.
 */
import type { Clock } from '@pullguard/engine';
import { stringify } from 'yaml';

export type ReportStatus = 'pass' | 'fail' | 'warn' | 'error' | 'skip';
/** The CRDs' severity enum (v1alpha2 and openreports alike). */
export type ReportSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export interface ReportResource {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string | undefined;
  uid?: string | undefined;
}

/** One result, before the timestamp and source every result gets. */
export interface ReportResult {
  policy: string;
  rule: string;
  result: ReportStatus;
  severity?: ReportSeverity | undefined;
  category?: string | undefined;
  message: string;
  resources?: ReportResource[] | undefined;
  /** Free-form; the CRDs allow string values only. */
  properties: Record<string, string>;
}

/** A result and the namespace whose report holds it (undefined: the cluster-wide report). */
export interface PlacedResult {
  namespace: string | undefined;
  result: ReportResult;
}

export interface ReportFlavor {
  apiVersion: string;
  namespacedKind: string;
  clusterKind: string;
  /** openreports.io has a report-level `source`. */
  reportSource: boolean;
}

export const WGPOLICY_V1ALPHA2: ReportFlavor = {
  apiVersion: 'wgpolicyk8s.io/v1alpha2',
  namespacedKind: 'PolicyReport',
  clusterKind: 'ClusterPolicyReport',
  reportSource: false,
};

export const OPENREPORTS_V1ALPHA1: ReportFlavor = {
  apiVersion: 'openreports.io/v1alpha1',
  namespacedKind: 'Report',
  clusterKind: 'ClusterReport',
  reportSource: true,
};

export const SOURCE = 'pullguard';

/**
 * The largest report, as JSON. etcd refuses an object over its request limit (1.5 MiB by default,
 * and Kubernetes documents 1 MiB per object); and `kubectl apply` without `--server-side` copies
 * the whole object into its `last-applied-configuration` annotation, where all annotations
 * together may hold at most 256 KiB (k8s.io/apimachinery TotalAnnotationSizeLimitB;
 * kubernetes/kubectl#712). 200 KiB keeps every report appliable either way.
 */
export const REPORT_MAX_BYTES = 200 * 1024;

function summary(results: readonly ReportResult[]): Record<ReportStatus, number> {
  const counts = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) counts[r.result]++;
  return counts;
}

/** `{seconds, nanos}` as the CRDs' result timestamp (a protobuf Timestamp). */
function timestamp(clock: Clock): { seconds: number; nanos: number } {
  const ms = clock.now();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

/** Results in chunks whose JSON stays within `budget` bytes each (a larger result gets its own chunk). */
function chunks<T>(items: readonly T[], budget: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const item of items) {
    const bytes = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (current.length > 0 && size + bytes > budget) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += bytes;
  }
  if (current.length > 0 || out.length === 0) out.push(current);
  return out;
}

/**
 * Which command made a report: its name in each namespace (`pullguard`, `pullguard-drift`) and the
 * value of its `pullguard.dev/report` label, so that `check` and `drift` reports never replace each
 * other and each can be pruned alone.
 */
export type ReportKind = 'check' | 'drift';

/** `pullguard`, then `pullguard-2`, `pullguard-3`… for the parts of a split report. */
function partName(kind: ReportKind, part: number): string {
  const base = kind === 'check' ? SOURCE : `${SOURCE}-${kind}`;
  return part === 0 ? base : `${base}-${part + 1}`;
}

/** Room left for the report's own fields (metadata, scope, summary) within REPORT_MAX_BYTES. */
const ENVELOPE_BYTES = 2 * 1024;

/**
 * The report objects for `placed` results: a namespaced report per namespace (sorted by name),
 * then the cluster-wide one when a result belongs to no namespace. Every result gets `source` and
 * the clock's timestamp.
 */
export function buildReports(
  placed: readonly PlacedResult[],
  options: { flavor: ReportFlavor; kind: ReportKind; clock: Clock; budget?: number },
): object[] {
  const { flavor, kind, clock, budget = REPORT_MAX_BYTES } = options;
  const at = timestamp(clock);
  const byNamespace = new Map<string | undefined, ReportResult[]>();
  for (const { namespace, result } of placed) {
    const list = byNamespace.get(namespace) ?? [];
    list.push(result);
    byNamespace.set(namespace, list);
  }
  const namespaces = [...byNamespace.keys()]
    .filter((n): n is string => n !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const reports: object[] = [];
  for (const namespace of [...namespaces, ...(byNamespace.has(undefined) ? [undefined] : [])]) {
    const results = (byNamespace.get(namespace) ?? []).map((r) => ({ ...r, source: SOURCE, timestamp: at }));
    chunks(results, budget - ENVELOPE_BYTES).forEach((part, i) => {
      reports.push({
        apiVersion: flavor.apiVersion,
        kind: namespace === undefined ? flavor.clusterKind : flavor.namespacedKind,
        metadata: {
          name: partName(kind, i),
          ...(namespace === undefined ? {} : { namespace }),
          labels: { 'app.kubernetes.io/managed-by': SOURCE, 'pullguard.dev/report': kind },
        },
        ...(flavor.reportSource ? { source: SOURCE } : {}),
        ...(namespace === undefined
          ? {}
          : { scope: { apiVersion: 'v1', kind: 'Namespace', name: namespace } }),
        summary: summary(part),
        results: part,
      });
    });
  }
  return reports;
}

/** Reports as YAML documents, for `kubectl apply -f -`. */
export function renderReports(reports: readonly object[]): string {
  if (reports.length === 0) return '';
  return reports.map((r) => `---\n${stringify(r, { lineWidth: 0, aliasDuplicateObjects: false })}`).join('');
}
