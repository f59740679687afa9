/**
 * Kubernetes label selectors with the API server's exact semantics
 * (k8s.io/apimachinery v0.31 pkg/apis/meta/v1/helpers.go LabelSelectorAsSelector, pkg/labels/selector.go,
 * and pkg/apis/meta/v1/validation/validation.go ValidateLabelSelector for what is valid).
 */

import { formatFieldPath } from '../documents/field-path.js';
import type { LabelSelector } from '../engine-api.js';

export type Labels = Readonly<Record<string, string>>;

/**
 * The labels a namespace has as the API server sees them: since Kubernetes 1.22 (KEP-2161,
 * pkg/registry/core/namespace/strategy.go) every namespace carries the immutable label
 * `kubernetes.io/metadata.name: <name>`, so selectors on it match even when a namespaces file
 * written by hand leaves it out.
 */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export function namespaceLabels(namespace: string, labels: Labels): Labels {
  if (labels[NAMESPACE_NAME_LABEL] === namespace && Object.hasOwn(labels, NAMESPACE_NAME_LABEL))
    return labels;
  return { ...labels, [NAMESPACE_NAME_LABEL]: namespace };
}

export interface SelectorProblem {
  /** Path below the selector: `matchExpressions[1].values`. */
  field: string;
  message: string;
}

// k8s.io/apimachinery/pkg/util/validation/validation.go: IsQualifiedName and IsValidLabelValue.
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Why `key` is not a valid label key, or undefined when it is. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return `label key "${key}" has an invalid prefix: it must be a DNS subdomain such as "example.com"`;
  }
  if (name.length === 0 || name.length > 63 || !NAME_PART.test(name)) {
    return `label key "${key}" is invalid: the name part must be 1-63 characters of letters, digits, "-", "_" or ".", starting and ending alphanumeric`;
  }
  return undefined;
}

/** Why `value` is not a valid label value, or undefined when it is. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    return `label value "${value}" is invalid: at most 63 characters of letters, digits, "-", "_" or ".", starting and ending alphanumeric (or empty)`;
  }
  return undefined;
}

/** Every problem in a selector (schema-valid shape assumed), as ValidateLabelSelector reports them. */
export function validateLabelSelector(selector: LabelSelector): SelectorProblem[] {
  const problems: SelectorProblem[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const field = formatFieldPath(['matchLabels', key]);
    const problem = labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem) problems.push({ field, message: problem });
  }
  (selector.matchExpressions ?? []).forEach((expression, index) => {
    const at = `matchExpressions[${index}]`;
    const keyProblem = labelKeyProblem(expression.key);
    if (keyProblem) problems.push({ field: `${at}.key`, message: keyProblem });
    const values = expression.values ?? [];
    if ((expression.operator === 'In' || expression.operator === 'NotIn') && values.length === 0) {
      problems.push({
        field: `${at}.values`,
        message: `operator ${expression.operator} needs at least one value`,
      });
    }
    if ((expression.operator === 'Exists' || expression.operator === 'DoesNotExist') && values.length > 0) {
      problems.push({
        field: `${at}.values`,
        message: `operator ${expression.operator} takes no values`,
      });
    }
    values.forEach((value, i) => {
      const problem = labelValueProblem(value);
      if (problem) problems.push({ field: `${at}.values[${i}]`, message: problem });
    });
  });
  return problems;
}

export interface CompiledSelector {
  matches(labels: Labels): boolean;
  /** The selector in kubectl's syntax: `tier=prod,env in (eu,us),!legacy`; `<everything>` when empty. */
  readonly text: string;
}

type Requirement = (labels: Labels) => boolean;

/** Compile a validated selector. All requirements must hold (AND); an empty selector matches everything. */
export function compileLabelSelector(selector: LabelSelector): CompiledSelector {
  const requirements: Requirement[] = [];
  const parts: string[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    requirements.push((labels) => Object.hasOwn(labels, key) && labels[key] === value);
    parts.push(`${key}=${value}`);
  }
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const set = new Set(values);
    const list = [...set].sort().join(',');
    switch (operator) {
      case 'In':
        requirements.push((labels) => Object.hasOwn(labels, key) && set.has(labels[key] as string));
        parts.push(`${key} in (${list})`);
        break;
      case 'NotIn':
        // labels/selector.go Requirement.Matches: NotIn holds when the key is absent.
        requirements.push((labels) => !Object.hasOwn(labels, key) || !set.has(labels[key] as string));
        parts.push(`${key} notin (${list})`);
        break;
      case 'Exists':
        requirements.push((labels) => Object.hasOwn(labels, key));
        parts.push(key);
        break;
      case 'DoesNotExist':
        requirements.push((labels) => !Object.hasOwn(labels, key));
        parts.push(`!${key}`);
        break;
    }
  }
  return {
    matches: (labels) => requirements.every((requirement) => requirement(labels)),
    text: parts.length === 0 ? '<everything>' : parts.join(','),
  };
}
