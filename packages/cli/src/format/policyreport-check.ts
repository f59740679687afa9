/**
 * `pullguard check` as policy report results (policyreport-reports.ts builds the reports):
 *
 * - a finding: `error` when its rule failed (threw, timed out), `skip` when an active exemption
 *   covers it, `fail` when it blocks the run (`--fail-on`), otherwise `warn` (a warn or audit
 *   finding, or a deny finding `--fail-on never` lets through);
 * - a rule instance that governs a workload's namespace and found nothing on it: `pass`;
 * - an input that could not be read: `error`, in the cluster-wide report (no namespace is known).
 *
 * Every object pullguard judges runs Pods, and every such kind is namespaced (a workload without
 * `metadata.namespace` is judged in `--namespace`, as `kubectl apply` would create it there), so
 * workloads' results are in their namespace's report.
 */
import type { Action, Diagnostic, Finding } from '@pullguard/engine';
import type { GoverningRule } from '../engine-setup.js';
import {
  type CheckResult,
  displayPath,
  type FormatContext,
  isBlocking,
  type WorkloadSeen,
} from './check-result.js';
import { meetsMinAction } from './formats.js';
import type {
  PlacedResult,
  ReportResource,
  ReportResult,
  ReportSeverity,
  ReportStatus,
} from './policyreport-reports.js';

/** pullguard has actions, not severities: how much a finding of each action matters. */
const SEVERITY: Readonly<Record<Action, ReportSeverity>> = { deny: 'high', warn: 'medium', audit: 'low' };

/**
 * Policy Reporter groups results by `category`. The built-in rules by what they are about; a test
 * requires every built-in rule to have one.
 */
export const BUILTIN_CATEGORIES: Readonly<Record<string, string>> = {
  'invalid-image': 'Image references',
  'require-digest': 'Image references',
  'disallow-latest': 'Image references',
  'allowed-tags': 'Image references',
  'require-explicit-pull-policy': 'Pull policy',
  'allowed-pull-policies': 'Pull policy',
  'mutable-tags-require-always': 'Pull policy',
  'restrict-never': 'Pull policy',
  'allowed-registries': 'Registries',
  'denied-registries': 'Registries',
  'private-images': 'Registries',
  'image-exists': 'Registry state',
  'digest-matches-tag': 'Registry state',
  expression: 'Expressions',
};

/** A plugin's rules are categorized by their plugin (`acme/no-busybox` → `Plugin acme`). */
function category(rule: string): string {
  return BUILTIN_CATEGORIES[rule] ?? `Plugin ${rule.split('/')[0]}`;
}

/** A workload by file (the same name may be in several files: a base and its overlays), namespace, kind, name. */
const workloadKey = (file: string | undefined, namespace: string, kind: string, name: string) =>
  `${file ?? ''}\u0000${namespace}\u0000${kind}\u0000${name}`;

function statusOf(f: Finding, result: CheckResult): ReportStatus {
  if (f.status === 'error') return 'error';
  if (f.exemption?.status === 'active') return 'skip';
  return isBlocking(f, result.failOn) ? 'fail' : 'warn';
}

function findingProperties(f: Finding, ctx: FormatContext): Record<string, string> {
  const properties: Record<string, string> = {
    container: f.container.name,
    containerType: f.container.type,
    image: f.image.raw,
    pullPolicy: f.pullPolicy.effective,
    action: f.action,
  };
  if (f.image.digest) properties['digest'] = f.image.digest;
  if (f.pullPolicy.declared === undefined) properties['pullPolicyDefaulted'] = 'true';
  if (f.location)
    properties['location'] =
      `${displayPath(f.location.file, ctx.cwd)}:${f.location.line}:${f.location.column}`;
  if (f.exemption) {
    properties['exemption'] = f.exemption.status;
    if (f.exemption.owner) properties['exemptionOwner'] = f.exemption.owner;
    if (f.exemption.reason) properties['exemptionReason'] = f.exemption.reason;
    if (f.exemption.expires) properties['exemptionExpires'] = f.exemption.expires;
  }
  return properties;
}

function resource(
  workload: { apiVersion: string; kind: string; name: string },
  namespace: string,
  uid: string | undefined,
): ReportResource {
  return { ...workload, namespace, ...(uid === undefined ? {} : { uid }) };
}

function diagnosticResult(d: Diagnostic, ctx: FormatContext): PlacedResult {
  const where = d.location
    ? `${displayPath(d.location.file, ctx.cwd)}:${d.location.line}:${d.location.column}`
    : undefined;
  return {
    namespace: undefined,
    result: {
      policy: 'pullguard',
      rule: d.code,
      result: 'error',
      severity: 'high',
      category: 'Input',
      message: where === undefined ? d.message : `${where}: ${d.message}`,
      properties: where === undefined ? {} : { location: where },
    },
  };
}

/** Every result of a `check` run, placed in its namespace's report (or the cluster-wide one). */
export function checkResults(result: CheckResult, ctx: FormatContext): PlacedResult[] {
  const workloads = new Map<string, WorkloadSeen>();
  /** Namespace and instance id → the rule it runs (what a finding's category is read from). */
  const rules = new Map<string, string>();
  for (const w of result.workloads) {
    workloads.set(workloadKey(w.file, w.namespace, w.kind, w.name), w);
    for (const r of w.rules) rules.set(`${w.namespace}\u0000${r.id}`, r.rule);
  }
  const ruleOf = (namespace: string, id: string) => rules.get(`${namespace}\u0000${id}`) ?? id;
  const found = new Set<string>();
  const placed: PlacedResult[] = [];
  for (const f of result.report.findings) {
    const key = workloadKey(f.location?.file, f.namespace, f.workload.kind, f.workload.name);
    found.add(`${key}\u0000${f.policy}\u0000${f.rule}`);
    const hint = f.hint && statusOf(f, result) !== 'skip' ? ` ${f.hint}` : '';
    const item: ReportResult = {
      policy: f.policy,
      rule: f.rule,
      result: statusOf(f, result),
      severity: SEVERITY[f.action],
      category: category(ruleOf(f.namespace, f.rule)),
      message: `${f.message}${hint}`,
      resources: [resource(f.workload, f.namespace, workloads.get(key)?.uid)],
      properties: findingProperties(f, ctx),
    };
    placed.push({ namespace: f.namespace, result: item });
  }
  for (const w of result.workloads) {
    const key = workloadKey(w.file, w.namespace, w.kind, w.name);
    for (const rule of w.rules) {
      if (found.has(`${key}\u0000${rule.policy}\u0000${rule.id}`)) continue;
      if (result.minAction !== undefined && !meetsMinAction(rule.action, result.minAction)) continue;
      placed.push({ namespace: w.namespace, result: passResult(w, rule) });
    }
  }
  placed.push(...result.report.errors.map((d) => diagnosticResult(d, ctx)));
  return placed;
}

function passResult(w: WorkloadSeen, rule: GoverningRule): ReportResult {
  return {
    policy: rule.policy,
    rule: rule.id,
    result: 'pass',
    severity: SEVERITY[rule.action],
    category: category(rule.rule),
    message: `${w.kind}/${w.name}: no ${rule.id} finding`,
    resources: [resource({ apiVersion: w.apiVersion, kind: w.kind, name: w.name }, w.namespace, w.uid)],
    properties: { action: rule.action },
  };
}
