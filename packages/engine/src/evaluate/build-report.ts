/**
 * The report stage: the flags of an evaluation (rule outcomes per image) → findings (with exemptions, notes and fixes),
 * mutations, warnings and the summary.
 */
import type { LoadedManifests } from '../engine-api.js';
import { compareDiagnostics, type Diagnostic } from '../errors.js';
import type { CompiledExemption } from '../policy/compiled-policy.js';
import type { RuleViolation } from '../rule-contract.js';
import type { ExtractedImage, Finding, ImageFix, Report, WorkloadRef } from '../types.js';
import type { EvaluationSetup, EvaluationState, Flag, ImageRun } from './evaluation-state.js';
import {
  appliedExemption,
  expiredNote,
  expiringWarning,
  isExpiringSoon,
  matchExemption,
} from './exemptions.js';
import { mergeFixes } from './fixes.js';
import { isFailure } from './run-rule.js';

export function buildReport(state: EvaluationState, loaded: LoadedManifests): Report {
  const now = state.setup.now;
  const findings: Finding[] = [];
  const mutating: Finding[] = [];
  let expiring: Set<CompiledExemption> | undefined;
  let workloadRef: WorkloadRef | undefined;
  let workload: Finding['workload'] = { apiVersion: '', kind: '', name: '' };
  for (const run of state.runs) {
    if (run.unordered) run.flags.sort(byRuleIndex);
    // Images of one workload come together: they share its finding part.
    if (run.image.workload !== workloadRef) {
      workloadRef = run.image.workload;
      workload = { apiVersion: workloadRef.apiVersion, kind: workloadRef.kind, name: workloadRef.name };
    }
    const container = { name: run.image.container.name, type: run.image.container.type };
    run.imageInfo ??= imageInfoOf(run.image);
    run.pullPolicy ??= pullPolicyOf(run.image);
    const { imageInfo, pullPolicy } = run;
    for (const flag of run.flags) {
      const compiled = flag.rule.compiled;
      const match =
        compiled.exemptions.length === 0
          ? undefined
          : matchExemption(compiled.exemptions, run.image, run.namespace.name, now);
      if (match?.active && isExpiringSoon(match.exemption, now)) {
        expiring ??= new Set();
        expiring.add(match.exemption);
      }
      const exemption = match === undefined ? undefined : appliedExemption(match);
      const failed = isFailure(flag.result);
      const violations = isFailure(flag.result) ? [flag.result] : flag.result;
      for (const violation of violations) {
        const ruleViolation = violation as RuleViolation;
        let notes = failed ? undefined : ruleViolation.notes;
        if (match !== undefined && !match.active) notes = [...(notes ?? []), expiredNote(match.exemption)];
        const finding: Finding = {
          rule: compiled.id,
          policy: compiled.policy,
          action: compiled.action,
          status: failed ? 'error' : 'violation',
          message: violation.message,
          hint: flag.rule.definition.hint,
          namespace: run.namespace.name,
          workload,
          container,
          image: imageInfo,
          pullPolicy,
          pointer: run.image.pointer,
          location: run.image.location,
          exemption,
          fix: failed || ruleViolation.fix === undefined ? undefined : imageFix(run, flag, ruleViolation),
          notes,
        };
        findings.push(finding);
        if (compiled.mutate && finding.fix !== undefined) mutating.push(finding);
      }
    }
  }
  sortByLocation(findings);
  return assembleReport(
    loaded,
    findings,
    mergeFixes(mutating),
    reportWarnings(state, expiring),
    state.setup,
    state.cacheHits,
    state.cacheMisses,
  );
}

/** The report of input without images: nothing was evaluated. */
export function imagelessReport(loaded: LoadedManifests, setup: EvaluationSetup): Report {
  return assembleReport(loaded, [], [], [...setup.compileWarnings], setup, 0, 0);
}

function reportWarnings(
  state: EvaluationState,
  expiring: ReadonlySet<CompiledExemption> | undefined,
): Diagnostic[] {
  const warnings = [...state.setup.compileWarnings];
  if (state.admittedNotes === undefined && expiring === undefined) return warnings;
  for (const note of state.admittedNotes ?? [])
    warnings.push({ code: 'RULE_SKIPPED', message: note, severity: 'warning' });
  for (const exemption of expiring ?? []) warnings.push(expiringWarning(exemption, state.setup.now));
  return warnings.sort(compareDiagnostics);
}

export function byRuleIndex(a: Flag, b: Flag): number {
  return a.rule.index - b.rule.index;
}

// The image and pull-policy parts of findings are shared by every finding of the image and by its
// cache entry: frozen, so that a caller editing a report cannot change a later one.
export function imageInfoOf(image: ExtractedImage): Finding['image'] {
  const ref = image.reference;
  return Object.freeze({ raw: image.raw, name: ref?.name, tag: ref?.tag, digest: ref?.digest });
}

export function pullPolicyOf(image: ExtractedImage): Finding['pullPolicy'] {
  return Object.freeze({ declared: image.pullPolicy.declared, effective: image.pullPolicy.effective });
}

function imageFix(run: ImageRun, flag: Flag, violation: RuleViolation): ImageFix {
  const fieldName = run.image.container.type === 'volume' ? 'pullPolicy' : 'imagePullPolicy';
  return {
    pointer: `${run.image.containerPointer}/${fieldName}`,
    field: fieldName,
    value: violation.fix!.imagePullPolicy,
    objectIndex: run.image.objectIndex,
    location: run.image.location,
    rule: flag.rule.compiled.id,
    policy: flag.rule.compiled.policy,
    reason: violation.message,
  };
}

/**
 * Findings come out in input order, which is almost always location order already: check in one
 * pass and sort (stably, so equal locations keep rule order) only when needed.
 */
function sortByLocation(findings: Finding[]): void {
  for (let i = 1; i < findings.length; i++) {
    if (compareLocation(findings[i - 1]!, findings[i]!) > 0) {
      findings.sort(compareLocation);
      return;
    }
  }
}

function compareLocation(a: Finding, b: Finding): number {
  const la = a.location;
  const lb = b.location;
  if (la === lb || la === undefined || lb === undefined) return 0;
  const fa = la.file ?? '';
  const fb = lb.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  return la.line - lb.line || la.column - lb.column;
}

function assembleReport(
  loaded: LoadedManifests,
  findings: Finding[],
  mutations: ImageFix[],
  warnings: Diagnostic[],
  setup: EvaluationSetup,
  cacheHits: number,
  cacheMisses: number,
): Report {
  const counts = { deny: 0, warn: 0, audit: 0, exempted: 0, errors: 0 };
  let blocking = false;
  for (const finding of findings) {
    if (finding.status === 'error') counts.errors++;
    if (finding.exemption?.status === 'active') {
      counts.exempted++;
      continue;
    }
    counts[finding.action]++;
    if (finding.action === 'deny') blocking = true;
  }
  let workloads = 0;
  for (const object of loaded.objects) if (object.workload) workloads++;
  // Load notices (a duplicate key whose last value is used) belong with the policy's warnings.
  const loadWarnings = loaded.warnings ?? [];
  return {
    verdict: blocking ? 'fail' : 'pass',
    findings,
    errors: loaded.errors,
    warnings: loadWarnings.length === 0 ? warnings : [...warnings, ...loadWarnings].sort(compareDiagnostics),
    mutations,
    policyFingerprint: setup.set.fingerprint,
    summary: {
      objects: loaded.objects.length,
      workloads,
      images: loaded.images.length,
      findings: counts,
      errors: loaded.errors.length,
      cache: { hits: cacheHits, misses: cacheMisses },
    },
  };
}
