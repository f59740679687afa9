/**
 * Where a policy applies, in the terms of a ValidatingAdmissionPolicy (policy-scope.ts): its
 * `namespaces` and `excludeNamespaces` globs become `matchConditions` on `namespaceObject`, its
 * `namespaceSelector` the binding's `namespaceSelector` (the API server evaluates it with the same
 * label-selector semantics). Where a selector has to be negated (the always-on invalid-image rule
 * applies where no policy that names it does), it is written in CEL over the namespace's labels.
 * Globs (glob.ts): `*` any run of characters, `?` exactly one; names are ASCII DNS names.
 */
import type { LabelSelector, PolicyDocument } from '@pullguard/engine';
import { allOf, anyOf, not, reQuote, str, strList, strSet, TRUE } from './cel.js';
import { OBJECT } from './workloads.js';

export const NAMESPACE = 'namespaceObject.metadata.name';
const LABELS = 'namespaceObject.metadata.labels';

/** CEL: `subject` matches one of `globs` (glob.ts compileGlob). */
export function globsCondition(globs: readonly string[], subject: string): string {
  if (globs.includes('*')) return TRUE;
  const exact = globs.filter((g) => !/[*?]/.test(g));
  const wild = globs.filter((g) => /[*?]/.test(g));
  const parts: string[] = [];
  if (exact.length === 1) parts.push(`${subject} == ${str(exact[0] as string)}`);
  else if (exact.length > 1) parts.push(`${subject} in ${strSet(exact)}`);
  if (wild.length > 0) {
    const alternatives = wild.map((g) =>
      g
        .split('')
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : reQuote(c)))
        .join(''),
    );
    parts.push(`${subject}.matches(${str(`^(?:${alternatives.join('|')})$`)})`);
  }
  return anyOf(parts);
}

export interface MatchCondition {
  name: string;
  expression: string;
}

/** `matchConditions` for a policy's globs (none when it covers every namespace and excludes none). */
export function namespaceConditions(document: PolicyDocument): MatchCondition[] {
  const conditions: MatchCondition[] = [];
  const include = globsCondition(document.namespaces, NAMESPACE);
  if (include !== TRUE) conditions.push({ name: 'namespace-included', expression: include });
  if (document.excludeNamespaces.length > 0) {
    conditions.push({
      name: 'namespace-not-excluded',
      expression: not(globsCondition(document.excludeNamespaces, NAMESPACE)),
    });
  }
  return conditions;
}

/**
 * CEL: the namespace's labels satisfy `selector` (apimachinery labels/selector.go: NotIn and
 * DoesNotExist hold when the key is absent; an empty selector matches everything). The API server
 * gives every namespace the label `kubernetes.io/metadata.name`, as the engine assumes.
 */
export function selectorCondition(selector: LabelSelector | undefined): string {
  if (selector === undefined) return TRUE;
  const has = (key: string) => `(${str(key)} in ${LABELS})`;
  const value = (key: string) => `${LABELS}[${str(key)}]`;
  const parts: string[] = Object.entries(selector.matchLabels ?? {}).map(
    ([key, v]) => `(${has(key)} && ${value(key)} == ${str(v)})`,
  );
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    switch (operator) {
      case 'In':
        parts.push(`(${has(key)} && ${value(key)} in ${strList(values)})`);
        break;
      case 'NotIn':
        parts.push(`(!${has(key)} || !(${value(key)} in ${strList(values)}))`);
        break;
      case 'Exists':
        parts.push(has(key));
        break;
      case 'DoesNotExist':
        parts.push(`!${has(key)}`);
        break;
    }
  }
  return allOf(parts);
}

/** CEL: the policy governs the request's namespace (globs, excludes and selector). */
export function appliesCondition(document: PolicyDocument): string {
  return allOf([
    globsCondition(document.namespaces, NAMESPACE),
    not(globsCondition(document.excludeNamespaces, NAMESPACE)),
    selectorCondition(document.namespaceSelector),
  ]);
}

/** CEL: `Kind/name` globs (glob.ts compileWorkloadGlob) against the object's kind and name. */
export function workloadsCondition(globs: readonly string[]): string {
  return anyOf(
    globs.map((glob) => {
      const slash = glob.indexOf('/');
      return allOf([
        globsCondition([glob.slice(0, slash)], `${OBJECT}.kind`),
        globsCondition([glob.slice(slash + 1)], 'variables.workloadName'),
      ]);
    }),
  );
}
