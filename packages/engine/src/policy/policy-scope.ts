/**
 * Which namespaces a policy governs: its `namespaces` globs AND its `namespaceSelector` (when
 * given), minus its `excludeNamespaces`. The ScopeIndex finds the policies whose globs can match
 * a namespace without looking at the others, so resolution stays cheap with 10,000 policies.
 */

import { formatFieldPath, parseFieldPath } from '../documents/field-path.js';
import type { LabelSelector, PolicyDocument } from '../engine-api.js';
import type { Diagnostic } from '../errors.js';
import { compileAll, compileGlob, type Glob, NAMESPACE_GLOB } from './glob.js';
import {
  type CompiledSelector,
  compileLabelSelector,
  type Labels,
  validateLabelSelector,
} from './label-selector.js';
import { policyDiagnostic } from './policy-diagnostic.js';

export interface PolicyScope {
  /** Position of the policy in the compiled set (policies are ordered by name). */
  index: number;
  include: readonly Glob[];
  exclude: readonly Glob[];
  selector: CompiledSelector | undefined;
  /** One `matchLabels` pair the selector requires: an index key for policies scoped by selector alone. */
  requiredLabel: readonly [key: string, value: string] | undefined;
}

export function compileScope(
  document: PolicyDocument,
  index: number,
): { scope: PolicyScope | undefined; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const globs = (field: 'namespaces' | 'excludeNamespaces') =>
    compileAll(
      document[field],
      (source) => compileGlob(source, NAMESPACE_GLOB),
      (i, message) =>
        diagnostics.push(policyDiagnostic(document, 'POLICY_BAD_GLOB', `spec.${field}[${i}]`, message)),
    ) ?? [];
  const include = globs('namespaces');
  const exclude = globs('excludeNamespaces');
  const selector = compileSelector(document.namespaceSelector, (field, message) =>
    diagnostics.push(policyDiagnostic(document, 'POLICY_BAD_SELECTOR', field, message)),
  );
  if (diagnostics.length > 0) return { scope: undefined, diagnostics };
  const requiredLabel = Object.entries(document.namespaceSelector?.matchLabels ?? {}).sort()[0];
  return { scope: { index, include, exclude, selector, requiredLabel }, diagnostics };
}

function compileSelector(
  selector: LabelSelector | undefined,
  report: (field: string, message: string) => void,
): CompiledSelector | undefined {
  if (!selector) return undefined;
  const base = ['spec', 'namespaceSelector'];
  for (const problem of validateLabelSelector(selector)) {
    report(formatFieldPath([...base, ...parseFieldPath(problem.field)]), problem.message);
  }
  return compileLabelSelector(selector);
}

export type SelectorVerdict = 'none' | 'match' | 'no-match' | 'labels-unknown';

export interface ScopeVerdict {
  applies: boolean;
  /** The first `excludeNamespaces` glob that matches. */
  excludedBy: Glob | undefined;
  selector: SelectorVerdict;
}

/** Judges a policy whose include globs already match `namespace`. */
export function judgeScope(scope: PolicyScope, namespace: string, labels: Labels | undefined): ScopeVerdict {
  const excludedBy = scope.exclude.find((glob) => glob.matches(namespace));
  let selector: SelectorVerdict = 'none';
  if (scope.selector) {
    if (labels === undefined) selector = 'labels-unknown';
    else selector = scope.selector.matches(labels) ? 'match' : 'no-match';
  }
  return { applies: !excludedBy && (selector === 'none' || selector === 'match'), excludedBy, selector };
}

type IndexEntry = { scope: PolicyScope; glob: Glob };

/**
 * Include globs indexed: exact names in a map, wildcards by literal prefix, `*` in a list —
 * except `*` policies whose selector requires a label pair, which are found through that pair.
 */
export class ScopeIndex {
  readonly #exact = new Map<string, IndexEntry[]>();
  readonly #byPrefix = new Map<string, IndexEntry[]>();
  readonly #all: IndexEntry[] = [];
  readonly #byRequiredLabel = new Map<string, IndexEntry[]>();
  readonly #longestPrefix: number;

  constructor(scopes: readonly PolicyScope[]) {
    let longest = 0;
    for (const scope of scopes) {
      for (const glob of scope.include) {
        const entry = { scope, glob };
        if (glob.kind === 'all' && scope.requiredLabel)
          push(this.#byRequiredLabel, labelKey(...scope.requiredLabel), entry);
        else if (glob.kind === 'all') this.#all.push(entry);
        else if (glob.kind === 'exact') push(this.#exact, glob.source, entry);
        else {
          push(this.#byPrefix, glob.prefix, entry);
          longest = Math.max(longest, glob.prefix.length);
        }
      }
    }
    this.#longestPrefix = longest;
  }

  /**
   * Policies with an include glob matching `namespace` (the first such glob each), in policy
   * order. Policies found through a required label are left out when `labels` lack it (they
   * cannot apply), unless `everyGlobMatch` asks for every policy whose globs match (explain).
   */
  candidates(namespace: string, labels: Labels | undefined, everyGlobMatch = false): IndexEntry[] {
    const found = new Map<number, IndexEntry>();
    const consider = (entries: readonly IndexEntry[] | undefined) => {
      for (const entry of entries ?? []) {
        if (!found.has(entry.scope.index) && entry.glob.matches(namespace))
          found.set(entry.scope.index, entry);
      }
    };
    consider(this.#all);
    consider(this.#exact.get(namespace));
    const limit = Math.min(namespace.length, this.#longestPrefix);
    for (let length = 0; length <= limit; length++) consider(this.#byPrefix.get(namespace.slice(0, length)));
    if (everyGlobMatch) {
      for (const entries of this.#byRequiredLabel.values()) consider(entries);
    } else if (labels !== undefined) {
      for (const key of Object.keys(labels))
        consider(this.#byRequiredLabel.get(labelKey(key, labels[key] as string)));
    }
    return [...found.values()].sort((a, b) => a.scope.index - b.scope.index);
  }
}

/** Label keys cannot contain NUL, so key + NUL + value is unambiguous. */
function labelKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
