/**
 * Compiled policies → ValidatingAdmissionPolicies and bindings that judge admitted objects as
 * `pullguard check` does (evaluate with `admitted: true`): per policy and action, one policy whose
 * validations are the policy's exportable rule instances, scoped as the policy is; plus the
 * always-on invalid-image rule where no policy names it. Whatever cannot be exported is returned
 * in `notExported`, never dropped.
 */
import type { Action, PodSpecPath } from '@pullguard/engine';
import {
  BUILTIN_POLICY,
  builtinRules,
  type CompiledPolicySet,
  type CompiledPolicyView,
  type CompiledRule,
  INVALID_IMAGE_RULE,
} from '@pullguard/engine/internals';
import { allOf, anyOf, not } from './cel.js';
import { activeExemptions } from './exemptions.js';
import { messages } from './messages.js';
import { type KubeObject, type PolicyParts, policyObjects, type ValidationSpec } from './objects.js';
import { referenceVariables } from './reference.js';
import { TRANSLATORS } from './rules/index.js';
import { INVALID_IMAGE } from './rules/reference-rules.js';
import type { Validation } from './rules/translator.js';
import { appliesCondition, namespaceConditions } from './scope.js';
import { resourceRules, type WorkloadKind, workloadKinds } from './workloads.js';

export interface VapExportOptions {
  set: CompiledPolicySet;
  /** Exemptions active at this instant (ms) are included, expired ones left out. */
  now: number;
  /** Extra workload kinds (`manifests.podSpecPaths`, `--well-known-kinds`). */
  podSpecPaths?: Readonly<Record<string, PodSpecPath>> | undefined;
}

export interface NotExported {
  /** The policy, or `manifests` for configuration the export cannot honour. */
  policy: string;
  /** Rule instance id (or the podSpecPaths key). */
  rule: string;
  reason: string;
  /**
   * `unexported`: the cluster enforces less than pullguard would (`--fail-on-unexported` fails).
   * `skipped`: pullguard does not judge it on admitted objects either.
   */
  severity: 'unexported' | 'skipped';
}

export interface VapExport {
  objects: KubeObject[];
  notExported: NotExported[];
  /** Earliest expiry of an included exemption: the output must be exported again before then. */
  validUntil: number | undefined;
  /** Sentences worth telling (a policy that governs no namespace). */
  notes: string[];
}

interface Built {
  rule: CompiledRule;
  validation: Validation;
  exemptions: ReturnType<typeof activeExemptions>;
}

export function exportVap(options: VapExportOptions): VapExport {
  const { kinds, problems } = workloadKinds(options.podSpecPaths);
  const notExported: NotExported[] = problems.map((reason) => ({
    policy: 'manifests',
    rule: 'podSpecPaths',
    reason,
    severity: 'unexported',
  }));
  const objects: KubeObject[] = [];
  const notes: string[] = [];
  const expiries: number[] = [];
  const views = options.set.policies();

  for (const view of views) {
    const { document } = view;
    if (document.namespaces.length === 0) {
      notes.push(`policy ${document.name} governs no namespace (namespaces: []): nothing to export for it`);
      continue;
    }
    const byAction = new Map<Action, Built[]>();
    for (const rule of view.rules) {
      const built = translate(rule, view, options.now, notExported);
      if (built === undefined) continue;
      const list = byAction.get(rule.action) ?? [];
      list.push(built);
      byAction.set(rule.action, list);
    }
    for (const [action, built] of byAction) {
      const parts = assemble(document.name, action, built, kinds);
      objects.push(
        ...policyObjects({
          ...parts,
          matchConditions: namespaceConditions(document),
          namespaceSelector: document.namespaceSelector,
        }),
      );
      if (parts.validUntil !== undefined) expiries.push(parts.validUntil);
    }
  }

  const builtin = builtinInvalidImage(views, kinds);
  if (builtin) objects.push(...builtin);
  return {
    objects,
    notExported,
    validUntil: expiries.length === 0 ? undefined : Math.min(...expiries),
    notes,
  };
}

function translate(
  rule: CompiledRule,
  view: CompiledPolicyView,
  now: number,
  notExported: NotExported[],
): Built | undefined {
  const policy = view.document.name;
  const report = (reason: string, severity: NotExported['severity'] = 'unexported') =>
    notExported.push({ policy, rule: rule.id, reason, severity });
  if (rule.mutate) {
    report(
      'mutate: true — a ValidatingAdmissionPolicy cannot change objects (the validation is exported, the mutation is not: run the mutating webhook for it)',
    );
  }
  if (!builtinRules.includes(rule.definition)) {
    report(`rule ${rule.rule} comes from a plugin: its check is code that runs in pullguard, not CEL`);
    return undefined;
  }
  if (rule.definition.skipWhenAdmitted !== undefined) {
    report('not judged on admitted objects (the API server has already defaulted what it checks)', 'skipped');
    return undefined;
  }
  const translator = TRANSLATORS.get(rule.rule);
  if (translator === undefined) {
    report(`rule ${rule.rule} has no CEL translation (it needs a registry or code)`);
    return undefined;
  }
  const translation = translator(rule);
  if ('unexported' in translation) {
    report(translation.unexported);
    return undefined;
  }
  return {
    rule,
    validation: translation.validation,
    exemptions: activeExemptions(view.exemptions, rule.id, now),
  };
}

/** The variables and validations of one (policy, action). */
function assemble(
  policy: string,
  action: Action,
  built: readonly Built[],
  kinds: readonly WorkloadKind[],
): Omit<PolicyParts, 'matchConditions' | 'namespaceSelector'> {
  const variables = referenceVariables({
    kinds,
    matchNames: built.some((b) => b.exemptions.readsNames),
    hostParts: built.some((b) => b.validation.hostWildcards === true || b.exemptions.hostWildcards),
    spellings: built.some((b) => b.validation.spellings === true),
  });
  const validations = built.map(({ rule, validation, exemptions }) =>
    validationSpec(rule.id, validation, rule.message, exemptions.condition),
  );
  const expiries = built.map((b) => b.exemptions.validUntil).filter((t): t is number => t !== undefined);
  return {
    policy,
    action,
    rules: built.map((b) => b.rule.id),
    resourceRules: resourceRules(kinds),
    variables,
    validations,
    validUntil: expiries.length === 0 ? undefined : Math.min(...expiries),
  };
}

/**
 * prepared-plan.ts: every namespace's plan gets invalid-image (deny, policy `pullguard-builtin`)
 * unless a policy governing it names invalid-image. So the built-in applies where none of the
 * policies that name it applies (their globs, excludes and selectors, negated in CEL).
 */
function builtinInvalidImage(
  views: readonly CompiledPolicyView[],
  kinds: readonly WorkloadKind[],
): KubeObject[] | undefined {
  const naming = views.filter((v) => v.rules.some((r) => r.rule === INVALID_IMAGE_RULE));
  const governed = anyOf(naming.map((v) => appliesCondition(v.document)));
  const ungoverned = not(governed);
  if (ungoverned === 'false') return undefined;
  return policyObjects({
    policy: BUILTIN_POLICY,
    action: 'deny',
    rules: [INVALID_IMAGE_RULE],
    resourceRules: resourceRules(kinds),
    matchConditions:
      ungoverned === 'true' ? [] : [{ name: 'no-policy-names-invalid-image', expression: ungoverned }],
    variables: referenceVariables({ kinds, matchNames: false, hostParts: false, spellings: false }),
    validations: [validationSpec(INVALID_IMAGE_RULE, INVALID_IMAGE, undefined, () => 'false')],
    namespaceSelector: undefined,
    validUntil: undefined,
  });
}

/** One validation: no image of `refs` violates the rule without being exempt. */
function validationSpec(
  id: string,
  validation: Validation,
  override: string | undefined,
  exempt: (r: string) => string,
): ValidationSpec {
  const failing = allOf([validation.violation('r'), not(exempt('r'))]);
  return {
    expression: `!variables.refs.exists(r, ${failing})`,
    ...messages(id, validation.message, override, `variables.refs.filter(r, ${failing})`),
    reason: 'Forbidden',
  };
}
