/**
 * The report stage: the flags of an evaluation (rule outcomes per image) → findings (with exemptions, notes and fixes),
 * mutations, warnings and the summary.
 */
import type { LoadedManifests } from '../engine-api.js';
import { compareDiagnostics, type Diagnostic } from '../errors.js';
import type { CompiledExemption, CompiledRule } from '../policy/compiled-policy.js';
import type { RuleViolation } from '../rule-contract.js';
import { asBuiltin, type BuiltinViolation } from '../rules/builtin-violation.js';
import type { Action, ExtractedImage, Finding, ImageFix, Report, WorkloadRef } from '../types.js';
import type { EvaluationSetup, EvaluationState, Flag, ImageRun } from './evaluation-state.js';
import { mergeFixes } from './fixes.js';
import {
  appliedExemption,
  expiredNote,
  expiringWarning,
  isExpiringSoon,
  matchExemption,
} from './match-exemptions.js';
import { isFailure } from './run-rule.js';
import { reportVerdict } from './verdict.js';

export function buildReport(state: EvaluationState, loaded: LoadedManifests): Report {
  const now = state.setup.now;
  const findings: Finding[] = [];
  const mutating: Finding[] = [];
  let expiring: Set<CompiledExemption> | undefined;
  let notChecked: Map<string, Diagnostic> | undefined;
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
        const builtin = failed || !flag.rule.builtin ? undefined : asBuiltin(ruleViolation);
        if (builtin?.notChecked) {
          // Not a finding: the rule could not be judged. Once per rule instance and image.
          if (match?.active) continue;
          notChecked ??= new Map();
          const key = `${compiled.id}\u0000${run.image.raw}\u0000${run.image.objectIndex}\u0000${run.image.pointer}`;
          if (!notChecked.has(key)) notChecked.set(key, notCheckedWarning(compiled, builtin, run.image));
          continue;
        }
        let notes = failed ? undefined : ruleViolation.notes;
        if (builtin?.registryError) notes = [...(notes ?? []), registryErrorNote(compiled)];
        if (match !== undefined && !match.active) notes = [...(notes ?? []), expiredNote(match.exemption)];
        const finding: Finding = {
          rule: compiled.id,
          policy: compiled.policy,
          action: builtin === undefined ? compiled.action : builtinAction(compiled, builtin),
          status: failed || builtin?.registryError ? 'error' : 'violation',
          message: violation.message,
          hint: builtin?.registryError?.hint || flag.rule.definition.hint,
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
    reportWarnings(state, expiring, notChecked),
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
  notChecked: ReadonlyMap<string, Diagnostic> | undefined,
): Diagnostic[] {
  const warnings = [...state.setup.compileWarnings];
  if (state.admittedNotes === undefined && expiring === undefined && notChecked === undefined)
    return warnings;
  for (const warning of notChecked?.values() ?? []) warnings.push(warning);
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
  const target = {
    objectIndex: run.image.objectIndex,
    location: run.image.location,
    rule: flag.rule.compiled.id,
    policy: flag.rule.compiled.policy,
    reason: violation.message,
  };
  const fix = violation.fix as BuiltinViolation['fix'];
  const volume = run.image.container.type === 'volume';
  if (fix !== undefined && 'image' in fix) {
    // The image value itself: a container's `image`, an image volume's `reference`.
    return { ...target, pointer: run.image.pointer, field: volume ? 'reference' : 'image', value: fix.image };
  }
  const field = volume ? 'pullPolicy' : 'imagePullPolicy';
  return {
    ...target,
    pointer: `${run.image.containerPointer}/${field}`,
    field,
    value: violation.fix!.imagePullPolicy,
  };
}

const SEVERITY: Readonly<Record<Action, number>> = { deny: 2, warn: 1, audit: 0 };

function lesser(a: Action, b: Action): Action {
  return SEVERITY[a] <= SEVERITY[b] ? a : b;
}

/**
 * A registry error takes the action `onRegistryError` gives, never above the entry's own: `deny`
 * keeps the entry's action (fail closed), `warn` at most warns, `allow` only records (audit).
 */
function builtinAction(compiled: CompiledRule, violation: BuiltinViolation): Action {
  let action = compiled.action;
  if (violation.registryError) {
    const mode = compiled.onRegistryError;
    action = mode === 'deny' ? action : mode === 'warn' ? lesser(action, 'warn') : 'audit';
  }
  return violation.atMost === undefined ? action : lesser(action, violation.atMost);
}

function registryErrorNote(compiled: CompiledRule): string {
  return `a registry error, judged by onRegistryError: ${compiled.onRegistryError} (policy ${compiled.policy})`;
}

function notCheckedWarning(
  compiled: CompiledRule,
  violation: BuiltinViolation,
  image: ExtractedImage,
): Diagnostic {
  return {
    code: 'REGISTRY_NOT_CHECKED',
    message: `${compiled.id} (policy ${compiled.policy}): ${violation.message}`,
    location: image.location,
    field: image.location === undefined ? image.pointer : undefined,
    severity: 'warning',
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
  for (const finding of findings) {
    if (finding.status === 'error') counts.errors++;
    if (finding.exemption?.status === 'active') counts.exempted++;
    else counts[finding.action]++;
  }
  let workloads = 0;
  for (const object of loaded.objects) if (object.workload) workloads++;
  // Load notices (a duplicate key whose last value is used) belong with the policy's warnings.
  const loadWarnings = loaded.warnings ?? [];
  return {
    verdict: reportVerdict(findings, loaded.errors),
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
